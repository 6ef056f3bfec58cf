package dev.proxylitellm;

import dev.proxylitellm.errors.ErrorResponses;
import dev.proxylitellm.errors.OpenAiError;
import dev.proxylitellm.target.InvalidTargetException;
import dev.proxylitellm.target.PathCheck;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The webapp's error page: whatever the container itself rejects (a malformed URI, an unmapped
 * path, an exception) is answered in the OpenAI error shape, never as an HTML page or a stack
 * trace. Messages are fixed per status; nothing from the request is echoed.
 */
public class ErrorPageServlet extends HttpServlet
{
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 404;
        if (response.isCommitted())
            return;
        ErrorResponses.write(response, status == 400 ? pathErrorOr(errorFor(status, request.getContextPath()), request)
            : errorFor(status, request.getContextPath()));
    }

    /**
     * A path the container refused before the webapp saw it (Open Liberty refuses encoded dots
     * itself) gets the same {@code invalid_path} answer the proxy gives when it refuses one.
     */
    private static OpenAiError pathErrorOr(OpenAiError otherwise, HttpServletRequest request)
    {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (!(uri instanceof String rawPath))
            return otherwise;
        try
        {
            PathCheck.check(rawPath);
            return otherwise;
        }
        catch (InvalidTargetException refused)
        {
            return refused.error();
        }
    }

    static OpenAiError errorFor(int status, String contextPath)
    {
        return switch (status)
        {
            case 400 -> invalid(status, "invalid_request", "The request is malformed.");
            case 404 -> invalid(status, "not_found", "Not found: this proxy serves the OpenAI API under "
                + contextPath.replace("\"", "") + "/v1/.");
            case 405 -> invalid(status, "method_not_allowed", "This method is not allowed here.");
            case 408 -> invalid(status, "request_timeout", "The request was not received in time.");
            case 413 -> invalid(status, "request_too_large", "The request is too large.");
            case 414 -> invalid(status, "uri_too_long", "The request URI is too long.");
            case 431 -> invalid(status, "request_header_fields_too_large", "The request's headers are too large.");
            default -> status >= 400 && status < 500
                ? invalid(status, "invalid_request", "The request was rejected.")
                : new OpenAiError(status >= 500 && status < 600 ? status : 500, OpenAiError.SERVER, "internal_error",
                    "The proxy failed to handle the request.");
        };
    }

    private static OpenAiError invalid(int status, String code, String message)
    {
        return new OpenAiError(status, OpenAiError.INVALID_REQUEST, code, message);
    }
}
