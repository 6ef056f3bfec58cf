package dev.proxylitellm.limits;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The per-client limits of {@code RATE_LIMITS}: {@code ;}-separated rules
 * {@code <client>:<limit>,<limit>…}, where the client is a name from the key file (or a key's
 * {@code sha256:} prefix, or {@code anonymous} for callers without a key) and {@code *} is the
 * default applied to every other client separately; limits are {@code rpm=N} (requests per
 * minute), {@code tpm=N} (tokens per minute) and {@code concurrent=N}. Parsed once, at start.
 */
public final class RateLimits
{
    public static final RateLimits NONE = new RateLimits(Map.of(), null);

    /** The client name the limits (and the metrics) use for callers without a key. */
    private static final String ANONYMOUS = "anonymous";

    /** The name {@code client} is known by: itself, or {@link #ANONYMOUS} for a caller without a key (null). */
    public static String clientName(String client)
    {
        return client == null ? ANONYMOUS : client;
    }

    /** The largest limit a token bucket can refill within a minute. */
    static final long MAX_PER_MINUTE = 60_000_000_000L;

    private static final Pattern CLIENT = Pattern.compile("\\*|[A-Za-z0-9._-]{1,64}|sha256:[0-9a-f]{8}");

    /** One client's limits; 0 for none of that kind. */
    public record Limits(long requestsPerMinute, long tokensPerMinute, int concurrent)
    {
    }

    private final Map<String, Limits> perClient;
    private final Limits fallback;

    private RateLimits(Map<String, Limits> perClient, Limits fallback)
    {
        this.perClient = Map.copyOf(perClient);
        this.fallback = fallback;
    }

    /** Reads {@code text}; what is wrong goes to {@code problems}, naming {@code source} and the rule. */
    public static RateLimits parse(String text, String source, List<String> problems)
    {
        Map<String, Limits> perClient = new HashMap<>();
        Limits fallback = null;
        int index = 0;
        for (String rule : text.split("[;\\n]"))
        {
            String trimmed = rule.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#"))
                continue;
            index++;
            String where = source + " rule " + index + " (" + trimmed + ")";
            int colon = trimmed.lastIndexOf(':');
            String client = colon < 0 ? "" : trimmed.substring(0, colon).strip();
            if (!CLIENT.matcher(client).matches())
            {
                problems.add(where + ": expected <client>:<limit>,... with a client name or *");
                continue;
            }
            Limits limits = limits(trimmed.substring(colon + 1), where, problems);
            if (limits == null)
                continue;
            if (client.equals("*") ? fallback != null : perClient.containsKey(client))
            {
                problems.add(where + ": " + client + " has limits already");
                continue;
            }
            if (client.equals("*"))
                fallback = limits;
            else
                perClient.put(client, limits);
        }
        return perClient.isEmpty() && fallback == null ? NONE : new RateLimits(perClient, fallback);
    }

    private static Limits limits(String text, String where, List<String> problems)
    {
        long rpm = 0;
        long tpm = 0;
        long concurrent = 0;
        for (String limit : text.split(","))
        {
            String[] pair = limit.strip().split("=", 2);
            long value;
            try
            {
                value = pair.length == 2 ? Long.parseLong(pair[1].strip()) : -1;
            }
            catch (NumberFormatException x)
            {
                value = -1;
            }
            String kind = pair[0].strip();
            if (value <= 0 || !(kind.equals("rpm") || kind.equals("tpm") || kind.equals("concurrent")))
            {
                problems.add(where + ": '" + limit.strip() + "' is not rpm=N, tpm=N or concurrent=N with N > 0");
                return null;
            }
            if (value > MAX_PER_MINUTE)
            {
                // Bucket4j refills at most one token a nanosecond.
                problems.add(where + ": '" + limit.strip() + "' is above the largest limit, " + MAX_PER_MINUTE);
                return null;
            }
            switch (kind)
            {
                case "rpm" -> rpm = value;
                case "tpm" -> tpm = value;
                default -> concurrent = value;
            }
        }
        return new Limits(rpm, tpm, (int)Math.min(concurrent, Integer.MAX_VALUE));
    }

    public boolean isEmpty()
    {
        return perClient.isEmpty() && fallback == null;
    }

    /** The limits of {@code client} (null for a caller without a key), or null when it has none. */
    public Limits of(String client)
    {
        Limits own = perClient.get(clientName(client));
        return own != null ? own : fallback;
    }

    /** Whether any client has a token limit, so that responses' usage must be read. */
    public boolean limitsTokens()
    {
        return (fallback != null && fallback.tokensPerMinute() > 0)
            || perClient.values().stream().anyMatch(limits -> limits.tokensPerMinute() > 0);
    }
}
