package dev.proxylitellm.metrics;

import dev.proxylitellm.config.ClientKeys;
import dev.proxylitellm.errors.ErrorResponses;
import dev.proxylitellm.errors.OpenAiError;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET <ctx>/metrics}: Prometheus' own servlet exporter over the proxy's registry, behind a
 * bearer token. The token is {@code METRICS_TOKEN} when set, else any client key; with neither
 * configured the page is open, like the rest of an unprotected proxy.
 */
public final class MetricsEndpoint extends PrometheusMetricsServlet
{
    private static final OpenAiError UNAUTHORIZED = new OpenAiError(401, OpenAiError.INVALID_REQUEST, "invalid_api_key",
        "Metrics need 'Authorization: Bearer <token>' with METRICS_TOKEN or a client key.");

    private final transient byte[] token;
    private final transient ClientKeys clientKeys;

    /**
     * @param token the metrics token, or null to accept the client keys instead
     */
    public MetricsEndpoint(ProxyMetrics metrics, String token, ClientKeys clientKeys)
    {
        super(metrics.registry());
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.clientKeys = clientKeys;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        if (!isAuthorised(request))
        {
            response.setHeader("WWW-Authenticate", "Bearer");
            ErrorResponses.write(response, UNAUTHORIZED);
            return;
        }
        super.doGet(request, response);
    }

    private boolean isAuthorised(HttpServletRequest request)
    {
        if (token == null && clientKeys.isEmpty())
            return true;
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7))
            return false;
        String presented = authorization.substring(7).trim();
        if (token != null)
            return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
        return clientKeys.identify(presented).isPresent();
    }
}
