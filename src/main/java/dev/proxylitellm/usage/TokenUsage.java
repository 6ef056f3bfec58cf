package dev.proxylitellm.usage;

/**
 * The token counts of one response, as its {@code usage} object gave them; -1 where a count was
 * absent. {@code input_tokens}/{@code output_tokens} (Responses API) count as prompt/completion.
 */
public record TokenUsage(long prompt, long completion, long total)
{
    public static final TokenUsage UNKNOWN = new TokenUsage(-1, -1, -1);

    /** Whether the response reported any count at all. */
    public boolean isKnown()
    {
        return prompt >= 0 || completion >= 0 || total >= 0;
    }

    /** The total as reported, or prompt plus completion when the response left it out. */
    public long effectiveTotal()
    {
        if (total >= 0)
            return total;
        return Math.max(prompt, 0) + Math.max(completion, 0);
    }

    /** As the access log shows it: {@code prompt/completion/total}, with {@code -} for an absent count. */
    @Override
    public String toString()
    {
        return isKnown() ? count(prompt) + "/" + count(completion) + "/" + effectiveTotal() : "-";
    }

    private static String count(long value)
    {
        return value < 0 ? "-" : Long.toString(value);
    }
}
