package dev.proxylitellm.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes the small JSON bodies the proxy answers itself: its endpoints and its errors. */
public final class JsonResponses
{
    private JsonResponses()
    {
    }

    /** Writes {@code json} as the whole response; the response must not be committed. */
    public static void write(HttpServletResponse response, int status, String json) throws IOException
    {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
