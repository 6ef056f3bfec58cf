package dev.proxylitellm.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limiter's answer to one call: admitted or refused (and on which limit, for how long), the
 * {@code x-ratelimit-*} headers the response carries, and what to give back when it ends.
 */
public final class Admission
{
    static final Admission UNLIMITED = new Admission(null, 0, Map.of(), () -> { });
    /** Refused because the limiter's Redis is unavailable and RATE_LIMIT_FAIL_OPEN is false. */
    static final Admission UNAVAILABLE = new Admission("unavailable", 1000, Map.of(), () -> { });

    private final String refusedOn;
    private final long retryAfterMs;
    private final Map<String, String> headers;
    private final Runnable release;

    Admission(String refusedOn, long retryAfterMs, Map<String, String> headers, Runnable release)
    {
        this.refusedOn = refusedOn;
        this.retryAfterMs = retryAfterMs;
        this.headers = headers;
        this.release = release;
    }

    public boolean admitted()
    {
        return refusedOn == null;
    }

    /** {@code requests}, {@code tokens} or {@code concurrent}: the limit that refused the call; {@code unavailable}: Redis is out. */
    public String refusedOn()
    {
        return refusedOn;
    }

    /** How long until the call would be admitted, at least 1 ms. */
    public long retryAfterMs()
    {
        return retryAfterMs;
    }

    /** OpenAI's {@code x-ratelimit-*} headers for this client; empty when it has no limits. */
    public Map<String, String> headers()
    {
        return headers;
    }

    /** Gives back the call's concurrency slot; run once, when the client has its response. */
    public Runnable release()
    {
        return release;
    }

    static Map<String, String> headers(long limitRequests, long remainingRequests, long resetRequestsNanos, long limitTokens,
        long remainingTokens, long resetTokensNanos)
    {
        Map<String, String> headers = new LinkedHashMap<>();
        if (limitRequests > 0)
        {
            headers.put("x-ratelimit-limit-requests", Long.toString(limitRequests));
            headers.put("x-ratelimit-remaining-requests", Long.toString(Math.max(0, remainingRequests)));
            headers.put("x-ratelimit-reset-requests", duration(resetRequestsNanos));
        }
        if (limitTokens > 0)
        {
            headers.put("x-ratelimit-limit-tokens", Long.toString(limitTokens));
            headers.put("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, remainingTokens)));
            headers.put("x-ratelimit-reset-tokens", duration(resetTokensNanos));
        }
        return headers;
    }

    /** A duration the way OpenAI writes it in its reset headers: {@code 20ms}, {@code 1s}, {@code 6m0s}. */
    static String duration(long nanos)
    {
        long ms = Math.max(0, (nanos + 999_999) / 1_000_000);
        if (ms < 1000)
            return ms + "ms";
        long seconds = (ms + 999) / 1000;
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + seconds % 60 + "s";
    }
}
