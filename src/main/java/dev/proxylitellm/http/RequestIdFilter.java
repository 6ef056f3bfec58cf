package dev.proxylitellm.http;

import dev.proxylitellm.logging.AccessLog;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;

/**
 * Gives every request its id (see {@link RequestIds}), returns it to the client in
 * {@code X-Request-Id} and puts it in the logging MDC while the container's thread handles the
 * request; the proxy sends it upstream and its log lines on other threads put it there themselves.
 */
public class RequestIdFilter implements Filter
{
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException
    {
        String id = RequestIds.choose(((HttpServletRequest)request).getHeader(RequestIds.HEADER));
        request.setAttribute(RequestIds.ATTRIBUTE, id);
        ((HttpServletResponse)response).setHeader(RequestIds.HEADER, id);
        MDC.put(AccessLog.REQUEST_ID, id);
        try
        {
            chain.doFilter(request, response);
        }
        finally
        {
            MDC.remove(AccessLog.REQUEST_ID);
        }
    }
}
