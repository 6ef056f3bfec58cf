package dev.proxylitellm;

import dev.proxylitellm.http.Exchange;
import dev.proxylitellm.http.RequestIds;
import dev.proxylitellm.logging.AccessLog;
import dev.proxylitellm.metrics.ExchangeMetrics;
import dev.proxylitellm.metrics.RouteFamily;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Opens the {@link Exchange} of every request to {@code /v1} before anything can refuse it, so
 * that each one — proxied, refused by access control or rejected by the proxy — ends in exactly
 * one access log line and one count in the metrics. A request answered on the container's thread
 * ends here; a proxied one ends when its response does.
 */
public class ExchangeFilter implements Filter
{
    private static final String API_PATH = "/v1";

    private ExchangeMetrics metrics;

    @Override
    public void init(FilterConfig filterConfig)
    {
        metrics = ProxyBootstrap.metrics(filterConfig.getServletContext());
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException
    {
        HttpServletRequest clientRequest = (HttpServletRequest)request;
        String uri = clientRequest.getRequestURI();
        String prefix = clientRequest.getContextPath() + API_PATH;
        String route = RouteFamily.of(uri.startsWith(prefix) ? uri.substring(prefix.length()) : "");
        Object id = clientRequest.getAttribute(RequestIds.ATTRIBUTE);
        Exchange exchange = new Exchange(id == null ? RequestIds.choose(null) : (String)id, clientRequest.getMethod(), uri, route, this::completed);
        clientRequest.setAttribute(Exchange.ATTRIBUTE, exchange);
        metrics.started();
        try
        {
            chain.doFilter(request, response);
        }
        finally
        {
            if (!exchange.isProxied())
            {
                int status = ((HttpServletResponse)response).getStatus();
                exchange.complete(status, status < 400 ? Exchange.Outcome.OK : Exchange.Outcome.REJECTED);
            }
        }
    }

    private void completed(Exchange exchange)
    {
        metrics.completed(exchange);
        AccessLog.log(exchange);
    }
}
