package dev.proxylitellm.config;

import dev.proxylitellm.limits.RateLimits;
import dev.proxylitellm.limits.RedisSettings;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The proxy's whole configuration, resolved and validated once at start by {@link ConfigLoader}
 * and passed to whatever needs it. Immutable; {@link #toString()} never shows a secret.
 *
 * @param baseUrl upstream base URL without a trailing slash, e.g. {@code https://host/v1}
 * @param appId the {@code app_id} every upstream call carries
 * @param dsKey the upstream {@code Authorization} value, verbatim
 * @param liteLlmApiKey the LiteLLM key, as configured (with or without "Bearer ")
 * @param keyHeader the header that carries the LiteLLM key
 * @param logLevel a logback level name: TRACE, DEBUG, INFO, WARN or ERROR
 * @param logFile the log file, or an empty string for console only
 * @param connectTimeoutMs upstream connect timeout
 * @param idleTimeoutMs upstream idle timeout
 * @param maxConnections upstream connection pool size
 * @param upstreamProxy the forward proxy upstream calls go through, or null for direct
 * @param trustAnchors CA certificates trusted for the upstream besides the JVM's own
 * @param http2 whether HTTP/2 may be negotiated with an https upstream
 * @param clientKeys keys clients must present; empty for no inbound access control
 * @param allowedClients client address ranges allowed to call; empty for all
 * @param maxRequestBytes the largest request body accepted
 * @param maxConcurrentRequests the most requests proxied at once; 0 for no limit
 * @param sseKeepAliveMs upstream silence after which an SSE stream gets a comment; 0 for never
 * @param jsonLogs whether log lines are JSON objects rather than text
 * @param metricsEnabled whether metrics are kept and served
 * @param metricsToken the bearer token /metrics requires, or null to fall back to the client keys
 * @param realtimeIdleTimeoutMs silence after which a realtime session is closed
 * @param realtimeMaxMessageBytes the largest realtime message relayed
 * @param maxHeaderBytes the largest request header section accepted
 * @param maxRequestTargetBytes the longest request target accepted
 * @param clientIdHeader the header naming the calling client to upstream, or null for none
 * @param rateLimits per-client request, token and concurrency limits
 * @param rateLimitRedis where the limits' counters live when instances share them
 * @param forwardClientAddress whether upstream learns the client's address ({@code Forwarded},
 *     and the {@code X-Forwarded-*} headers clients send)
 */
public record ProxyConfig(
    URI baseUrl,
    String appId,
    String dsKey,
    String liteLlmApiKey,
    String keyHeader,
    String logLevel,
    String logFile,
    long connectTimeoutMs,
    long idleTimeoutMs,
    int maxConnections,
    URI upstreamProxy,
    List<X509Certificate> trustAnchors,
    boolean http2,
    ClientKeys clientKeys,
    List<Cidr> allowedClients,
    long maxRequestBytes,
    int maxConcurrentRequests,
    long sseKeepAliveMs,
    boolean jsonLogs,
    boolean metricsEnabled,
    String metricsToken,
    long realtimeIdleTimeoutMs,
    int realtimeMaxMessageBytes,
    boolean forwardClientAddress,
    int maxHeaderBytes,
    int maxRequestTargetBytes,
    String clientIdHeader,
    RateLimits rateLimits,
    RedisSettings rateLimitRedis)
{
    public ProxyConfig
    {
        trustAnchors = List.copyOf(trustAnchors);
        allowedClients = List.copyOf(allowedClients);
    }

    /** The forward proxy's password, if its URL carries one: a secret like the keys. */
    public String upstreamProxyPassword()
    {
        String userInfo = upstreamProxy == null ? null : upstreamProxy.getUserInfo();
        int colon = userInfo == null ? -1 : userInfo.indexOf(':');
        return colon < 0 ? null : userInfo.substring(colon + 1);
    }

    /** The value of the key header: the configured key with exactly one "Bearer " before it. */
    public String liteLlmKeyHeaderValue()
    {
        boolean hasBearer = liteLlmApiKey.regionMatches(true, 0, "Bearer ", 0, 7);
        return hasBearer ? liteLlmApiKey : "Bearer " + liteLlmApiKey;
    }

    @Override
    public String toString()
    {
        return "ProxyConfig[baseUrl=" + baseUrl.getScheme() + "://" + baseUrl.getRawAuthority().replaceFirst("^.*@", "")
            + baseUrl.getRawPath() + ", keyHeader=" + keyHeader + ", logLevel=" + logLevel + ", logFile=" + logFile
            + ", connectTimeoutMs=" + connectTimeoutMs + ", idleTimeoutMs=" + idleTimeoutMs
            + ", maxConnections=" + maxConnections
            + ", upstreamProxy=" + (upstreamProxy == null ? "none" : upstreamProxy.getScheme() + "://" + upstreamProxy.getHost() + ":" + upstreamProxy.getPort())
            + ", extraTrustAnchors=" + trustAnchors.size() + ", http2=" + (http2 ? "auto" : "off")
            + ", clientKeys=" + clientKeys.size() + ", allowedClientRanges=" + allowedClients.size()
            + ", maxRequestBytes=" + maxRequestBytes + ", maxConcurrentRequests=" + maxConcurrentRequests
            + ", sseKeepAliveMs=" + sseKeepAliveMs + ", logFormat=" + (jsonLogs ? "json" : "text")
            + ", forwardClientAddress=" + forwardClientAddress + ", maxHeaderBytes=" + maxHeaderBytes
            + ", maxRequestTargetBytes=" + maxRequestTargetBytes
            + ", clientIdHeader=" + (clientIdHeader == null ? "none" : clientIdHeader)
            + ", rateLimits=" + (rateLimits.isEmpty() ? "none" : rateLimitRedis.url() == null ? "memory" : rateLimitRedis.safeUrl())
            + ", metrics=" + (!metricsEnabled ? "off" : metricsToken != null ? "token" : clientKeys.isEmpty() ? "open" : "client keys") + "]";
    }
}
