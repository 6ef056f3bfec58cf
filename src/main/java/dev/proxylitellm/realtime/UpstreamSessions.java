package dev.proxylitellm.realtime;

import dev.proxylitellm.access.ClientAccessFilter;
import dev.proxylitellm.config.ProxyConfig;
import dev.proxylitellm.errors.OpenAiError;
import dev.proxylitellm.http.RequestIds;
import dev.proxylitellm.http.WebSocketSubprotocols;
import dev.proxylitellm.access.ClientAccessFilter;
import dev.proxylitellm.upstream.ClientAttribution;
import dev.proxylitellm.upstream.CredentialHeaders;
import dev.proxylitellm.upstream.UpstreamTls;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Opens WebSocket sessions to upstream with the JDK's client: the handshake carries the
 * organisation's credentials (the client's own are dropped), the request id, the client's
 * headers that shape a realtime session, and its subprotocols less the one holding its key.
 */
final class UpstreamSessions
{
    /** Client headers that shape the session and are passed on. */
    private static final List<String> PASSED_HEADERS = List.of("OpenAI-Beta", "OpenAI-Organization", "OpenAI-Project", "User-Agent");

    private final ProxyConfig config;
    private final CredentialHeaders credentials;
    private final ClientAttribution attribution;
    private HttpClient client;

    UpstreamSessions(ProxyConfig config)
    {
        this.config = config;
        this.credentials = new CredentialHeaders(config);
        this.attribution = new ClientAttribution(config.clientIdHeader());
    }

    /** Opens the session, or says why upstream would not. */
    WebSocket connect(HttpServletRequest request, URI target, String requestId, WebSocket.Listener listener) throws UpstreamRefusal
    {
        WebSocket.Builder builder = client().newWebSocketBuilder().connectTimeout(Duration.ofMillis(config.connectTimeoutMs()));
        HttpFields.Mutable headers = HttpFields.build();
        for (String name : PASSED_HEADERS)
        {
            for (String value : Collections.list(request.getHeaders(name)))
                headers.add(name, value);
        }
        if (requestId != null)
            headers.put(RequestIds.HEADER, requestId);
        credentials.stripClientCredentials(headers);
        credentials.inject(headers);
        attribution.attribute(headers, (String)request.getAttribute(ClientAccessFilter.CLIENT_IDENTITY));
        for (HttpField field : headers)
            builder.header(field.getName(), field.getValue());
        List<String> subprotocols = forwardedSubprotocols(request);
        if (!subprotocols.isEmpty())
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        try
        {
            return builder.buildAsync(target, listener).get(config.connectTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException x)
        {
            if (x.getCause() instanceof WebSocketHandshakeException refused)
            {
                int status = refused.getResponse().statusCode();
                throw new UpstreamRefusal(new OpenAiError(status, status < 500 ? OpenAiError.INVALID_REQUEST : OpenAiError.UPSTREAM, "upstream_refused",
                    "The upstream API refused the realtime session (HTTP " + status + ")."));
            }
            throw new UpstreamRefusal(new OpenAiError(502, OpenAiError.UPSTREAM, "upstream_unreachable",
                "The upstream API's realtime endpoint could not be reached."));
        }
        catch (TimeoutException x)
        {
            throw new UpstreamRefusal(new OpenAiError(504, OpenAiError.UPSTREAM, "upstream_timeout",
                "The upstream API did not accept the realtime session in time."));
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new UpstreamRefusal(new OpenAiError(502, OpenAiError.UPSTREAM, "upstream_unreachable", "Interrupted."));
        }
    }

    /** The client's subprotocols, less the one that carries its key: that key is for this proxy only. */
    static List<String> forwardedSubprotocols(HttpServletRequest request)
    {
        return WebSocketSubprotocols.offered(request).stream()
            .filter(protocol -> !protocol.startsWith(ClientAccessFilter.KEY_SUBPROTOCOL_PREFIX))
            .toList();
    }

    /**
     * The JDK client, made on the first session: it starts a selector thread that (on Java 17)
     * cannot be stopped, only left to the garbage collector, so a proxy that never sees a realtime
     * session never starts it, and a redeployed one does not leave it behind.
     */
    private synchronized HttpClient client()
    {
        if (client == null)
        {
            HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(config.connectTimeoutMs()))
                .sslContext(UpstreamTls.sslContext(config.trustAnchors()));
            URI proxy = config.upstreamProxy();
            if (proxy != null)
                builder.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort())));
            client = builder.build();
        }
        return client;
    }

    /** Stops the client where the JDK can (Java 21 made it closeable); on 17 its thread ends once it is collected. */
    synchronized void close() throws Exception
    {
        if (client instanceof AutoCloseable closeable)
            closeable.close();
        client = null;
    }
}
