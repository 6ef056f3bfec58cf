package dev.proxylitellm.usage;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Watches a response body as it passes through the proxy, piece by piece and without copying or
 * holding it, for the model and token usage the response reports. One observer per response,
 * fed from one thread at a time.
 */
public interface UsageObserver
{
    /** Reads the remaining bytes of {@code bytes} without moving its position. */
    void observe(ByteBuffer bytes);

    /** The body is complete. */
    void end();

    /** The model the response names, or null. */
    String model();

    TokenUsage usage();

    /** Events seen, for a stream; 0 for a plain body. */
    int events();

    /**
     * The observer for a response with this status, content type and content encoding, or null
     * when it cannot carry usage that the proxy can read: an error, neither JSON nor an event
     * stream, or compressed other than with gzip.
     */
    static UsageObserver forResponse(int status, String contentType, String contentEncoding)
    {
        if (status < 200 || status >= 300 || contentType == null)
            return null;
        int semicolon = contentType.indexOf(';');
        String base = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        UsageObserver observer;
        if (base.equals("text/event-stream"))
            observer = new EventStreamUsage();
        else if (base.equals("application/json") || base.endsWith("+json"))
            observer = new JsonBodyUsage();
        else
            return null;
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.trim().equalsIgnoreCase("identity"))
            return observer;
        String encoding = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return encoding.equals("gzip") || encoding.equals("x-gzip") ? new GzipUsage(observer) : null;
    }

    /** {@link #forResponse(int, String, String)} for a body that is not encoded. */
    static UsageObserver forResponse(int status, String contentType)
    {
        return forResponse(status, contentType, null);
    }
}
