package dev.proxylitellm.http;

import dev.proxylitellm.errors.OpenAiError;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * The proxy's own bounds on a request's target and headers, so that every container behaves
 * the same whatever it lets through (Undertow, for one, accepts far larger header sections and
 * bare carriage returns in values): a target longer than {@code MAX_REQUEST_TARGET_BYTES} is a
 * 414, a header section larger than {@code MAX_HEADER_BYTES} a 431, and a header name or value
 * holding CR, LF or NUL — which could inject a header line upstream — a 400. Sizes count
 * characters, which servlet containers decode one per byte (ISO-8859-1).
 */
public final class RequestBounds
{
    private static final OpenAiError INVALID_HEADER = new OpenAiError(400, OpenAiError.INVALID_REQUEST, "invalid_header",
        "A request header name or value contains a line break or a NUL character.");
    /** ": " and CRLF around each header line. */
    private static final int LINE_OVERHEAD = 4;

    private final int maxTarget;
    private final int maxHeaders;
    private final OpenAiError targetTooLong;
    private final OpenAiError headersTooLarge;

    public RequestBounds(int maxTarget, int maxHeaders)
    {
        this.maxTarget = maxTarget;
        this.maxHeaders = maxHeaders;
        this.targetTooLong = new OpenAiError(414, OpenAiError.INVALID_REQUEST, "uri_too_long",
            "The request target is longer than this proxy accepts (" + maxTarget + " bytes).");
        this.headersTooLarge = new OpenAiError(431, OpenAiError.INVALID_REQUEST, "request_header_fields_too_large",
            "The request headers are larger than this proxy accepts (" + maxHeaders + " bytes).");
    }

    /** The error for a request outside the bounds, or null when it is within them. */
    public OpenAiError check(HttpServletRequest request)
    {
        String query = request.getQueryString();
        if (request.getRequestURI().length() + (query == null ? 0 : 1 + query.length()) > maxTarget)
            return targetTooLong;
        long size = 0;
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements();)
        {
            String name = names.nextElement();
            if (!isSafe(name))
                return INVALID_HEADER;
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements();)
            {
                String value = values.nextElement();
                if (!isSafe(value))
                    return INVALID_HEADER;
                size += name.length() + value.length() + LINE_OVERHEAD;
                if (size > maxHeaders)
                    return headersTooLarge;
            }
        }
        return null;
    }

    static boolean isSafe(String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == 0)
                return false;
        }
        return true;
    }
}
