package dev.proxylitellm.upstream;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.client.BasicAuthentication;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Sends upstream calls through the configured forward proxy: plain requests in absolute form,
 * https ones through a CONNECT tunnel (Jetty's {@link HttpProxy} does both), with Basic proxy
 * credentials taken from the proxy URL's user info.
 */
public final class UpstreamRoute
{
    private UpstreamRoute()
    {
    }

    /** Configures {@code client} to use {@code proxy}; does nothing when it is null. */
    public static void apply(HttpClient client, URI proxy)
    {
        if (proxy == null)
            return;
        boolean secure = proxy.getScheme().equalsIgnoreCase("https");
        HttpProxy httpProxy = new HttpProxy(new Origin.Address(proxy.getHost(), proxy.getPort()), secure);
        client.getProxyConfiguration().addProxy(httpProxy);
        String userInfo = proxy.getRawUserInfo();
        if (userInfo != null)
        {
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
            client.getAuthenticationStore().addAuthenticationResult(
                new BasicAuthentication.BasicResult(httpProxy.getURI(), HttpHeader.PROXY_AUTHORIZATION, user, password));
        }
    }

    private static String decode(String text)
    {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
