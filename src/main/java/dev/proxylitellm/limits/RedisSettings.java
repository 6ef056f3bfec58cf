package dev.proxylitellm.limits;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Where the RATE_LIMITS counters live when several instances share them: a Redis URL, how long a
 * call may wait for it, and whether calls flow unlimited (fail open) or are refused while it is out.
 *
 * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://}; null to keep counters in memory
 * @param timeout the longest a call waits for Redis
 * @param failOpen whether calls go through unlimited while Redis is unavailable
 * @param trustAnchors CA certificates trusted for {@code rediss://} besides the JVM's (UPSTREAM_CA_FILE)
 */
public record RedisSettings(URI url, Duration timeout, boolean failOpen, List<X509Certificate> trustAnchors)
{
    public static final RedisSettings NONE = new RedisSettings(null, Duration.ofMillis(50), true, List.of());

    public RedisSettings
    {
        trustAnchors = List.copyOf(trustAnchors);
    }

    /** The URL's password, a secret like the keys; null when it has none. */
    public String password()
    {
        String userInfo = url == null ? null : url.getRawUserInfo();
        if (userInfo == null)
            return null;
        int colon = userInfo.indexOf(':');
        return colon < 0 ? userInfo : userInfo.substring(colon + 1);
    }

    /** The URL without credentials, for logs. */
    public String safeUrl()
    {
        return url == null ? "none" : url.getScheme() + "://" + url.getHost() + ":" + (url.getPort() < 0 ? 6379 : url.getPort())
            + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
