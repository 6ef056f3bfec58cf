package dev.proxylitellm.limits;

import dev.proxylitellm.errors.OpenAiError;

/**
 * The 429 of a refused call, the way OpenAI words its own: type {@code requests} or
 * {@code tokens}, code {@code rate_limit_exceeded}, and when to try again.
 */
public final class RateLimitErrors
{
    private RateLimitErrors()
    {
    }

    private static final OpenAiError UNAVAILABLE = new OpenAiError(503, OpenAiError.SERVER, "rate_limiter_unavailable",
        "The proxy cannot check this client's rate limits right now. Please try again shortly.");

    public static OpenAiError of(Admission refusal)
    {
        String kind = refusal.refusedOn();
        if (kind.equals("unavailable"))
            return UNAVAILABLE;
        String what = switch (kind)
        {
            case "tokens" -> "tokens per minute";
            case "requests" -> "requests per minute";
            default -> "concurrent calls";
        };
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", refusal.retryAfterMs() / 1000.0);
        return new OpenAiError(429, kind.equals("tokens") ? "tokens" : "requests", "rate_limit_exceeded",
            "Rate limit reached for this client on " + what + ". Please try again in " + seconds + "s.");
    }
}
