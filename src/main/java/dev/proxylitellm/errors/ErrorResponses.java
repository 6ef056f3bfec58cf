package dev.proxylitellm.errors;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes an {@link OpenAiError} as the whole response. Used for the proxy's own errors instead
 * of {@code sendError}, which would make the container render an HTML page that OpenAI SDKs show
 * verbatim.
 */
public final class ErrorResponses
{
    private ErrorResponses()
    {
    }

    /** Writes {@code error}; the response must not be committed. */
    public static void write(HttpServletResponse response, OpenAiError error) throws IOException
    {
        byte[] body = error.toJsonBytes();
        response.resetBuffer();
        response.setStatus(error.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("utf-8");
        response.setContentLength(body.length);
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(body);
    }
}
