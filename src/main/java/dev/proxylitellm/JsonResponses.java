package dev.proxylitellm;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes the small fixed JSON bodies of the proxy's own endpoints. */
final class JsonResponses
{
    private JsonResponses()
    {
    }

    static void write(HttpServletResponse response, int status, String json) throws IOException
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
