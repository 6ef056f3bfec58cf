package dev.proxylitellm.config;

import java.net.URI;

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
    int maxConnections)
{
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
            + ", maxConnections=" + maxConnections + "]";
    }
}
