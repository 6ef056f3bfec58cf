package dev.proxylitellm.errors;

import dev.proxylitellm.http.JsonResponses;
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
        response.resetBuffer();
        JsonResponses.write(response, error.status(), error.toJson());
    }
}
