package dev.proxylitellm;

import dev.proxylitellm.errors.ErrorResponses;
import dev.proxylitellm.errors.OpenAiError;
import dev.proxylitellm.http.JsonResponses;
import dev.proxylitellm.target.InvalidTargetException;
import dev.proxylitellm.target.PathCheck;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The webapp's default servlet: {@code GET <ctx>/} says the proxy runs (as the original did), and
 * every other path outside {@code /v1} and {@code /healthz} gets a JSON 404 instead of the
 * container's HTML page. Nothing outside {@code /v1} is ever proxied.
 */
public class LandingServlet extends HttpServlet
{
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        String rawPath = request.getRequestURI().substring(request.getContextPath().length());
        if (!rawPath.equals("/"))
        {
            // A path normalised away from /v1 by the container (/v1/../x) lands here: say why.
            ErrorResponses.write(response, rejection(rawPath).orElse(ErrorPageServlet.errorFor(404, request.getContextPath())));
            return;
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD"))
        {
            response.setHeader("Allow", "GET, HEAD");
            ErrorResponses.write(response, ErrorPageServlet.errorFor(405, request.getContextPath()));
            return;
        }
        JsonResponses.write(response, 200, "{\"message\":\"proxy-litellm is running\",\"api\":\""
            + request.getContextPath().replace("\"", "") + "/v1\"}");
    }

    private static Optional<OpenAiError> rejection(String rawPath)
    {
        try
        {
            PathCheck.check(rawPath);
            return Optional.empty();
        }
        catch (InvalidTargetException x)
        {
            return Optional.of(x.error());
        }
    }
}
