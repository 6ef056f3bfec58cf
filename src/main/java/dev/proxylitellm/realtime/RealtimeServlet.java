package dev.proxylitellm.realtime;

import dev.proxylitellm.ProxyBootstrap;
import dev.proxylitellm.access.ClientAccessFilter;
import dev.proxylitellm.config.ProxyConfig;
import dev.proxylitellm.errors.ErrorResponses;
import dev.proxylitellm.errors.OpenAiError;
import dev.proxylitellm.http.InvalidTargetException;
import dev.proxylitellm.http.RequestIds;
import dev.proxylitellm.http.TargetRewriter;
import dev.proxylitellm.http.UpstreamTls;
import dev.proxylitellm.metrics.ExchangeMetrics;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import dev.proxylitellm.http.CredentialHeaders;

/**
 * {@code <ctx>/v1/realtime}: turns the client's WebSocket handshake into a session with the
 * upstream's {@code /realtime}, credentials and {@code app_id} added like for every HTTP call.
 * The upstream handshake happens first, so that a refusal reaches the client as its handshake's
 * status (upstream's, or 502 when upstream cannot be reached) and never as an opened-then-closed
 * socket; then the client is upgraded through the standard {@link ServerContainer} API, which
 * Tomcat and Jetty both provide.
 */
public class RealtimeServlet extends HttpServlet
{
    /** The subprotocol prefix browsers use to send an api key, which they cannot put in a header. */
    public static final String KEY_SUBPROTOCOL_PREFIX = "openai-insecure-api-key.";
    /** Client headers that shape the session and are passed on. */
    private static final List<String> PASSED_HEADERS = List.of("OpenAI-Beta", "OpenAI-Organization", "OpenAI-Project", "User-Agent");
    private static final OpenAiError NOT_AN_UPGRADE = new OpenAiError(426, OpenAiError.INVALID_REQUEST, "upgrade_required",
        "/v1/realtime speaks WebSocket: connect with a WebSocket client.");
    private static final OpenAiError NO_WEBSOCKET = new OpenAiError(501, OpenAiError.INVALID_REQUEST, "websocket_unavailable",
        "This server has no WebSocket support enabled (on Jetty, add the ee10-websocket-jakarta module).");

    private transient TargetRewriter targets;
    private transient CredentialHeaders credentials;
    private transient HttpClient client;
    private transient RealtimeSettings settings;
    private transient ExchangeMetrics metrics;
    private long connectTimeoutMs;
    private transient List<java.security.cert.X509Certificate> trustAnchors;
    private transient URI upstreamProxy;

    @Override
    public void init(ServletConfig servletConfig) throws ServletException
    {
        super.init(servletConfig);
        ProxyConfig config = (ProxyConfig)servletConfig.getServletContext().getAttribute(ProxyConfig.class.getName());
        if (config == null)
            throw new UnavailableException("No proxy-litellm configuration: the ProxyBootstrap listener must run first");
        targets = new TargetRewriter(config.baseUrl(), config.appId());
        credentials = new CredentialHeaders(config);
        settings = new RealtimeSettings(config.realtimeIdleTimeoutMs(), config.realtimeMaxMessageBytes());
        metrics = ProxyBootstrap.metrics(servletConfig.getServletContext());
        connectTimeoutMs = config.connectTimeoutMs();
        trustAnchors = config.trustAnchors();
        upstreamProxy = config.upstreamProxy();
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
                .connectTimeout(Duration.ofMillis(connectTimeoutMs))
                .sslContext(UpstreamTls.sslContext(trustAnchors));
            if (upstreamProxy != null)
                builder.proxy(ProxySelector.of(new InetSocketAddress(upstreamProxy.getHost(), upstreamProxy.getPort())));
            client = builder.build();
        }
        return client;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade")))
        {
            response.setHeader("Upgrade", "websocket");
            ErrorResponses.write(response, NOT_AN_UPGRADE);
            return;
        }
        ServerContainer container = (ServerContainer)getServletContext().getAttribute(ServerContainer.class.getName());
        if (container == null)
        {
            ErrorResponses.write(response, NO_WEBSOCKET);
            return;
        }
        URI target;
        try
        {
            target = webSocketUri(targets.rewrite("/realtime", request.getQueryString()));
        }
        catch (InvalidTargetException x)
        {
            ErrorResponses.write(response, x.error());
            return;
        }
        String requestId = (String)request.getAttribute(RequestIds.ATTRIBUTE);
        RealtimeRelay relay = new RealtimeRelay(settings, metrics, requestId, (String)request.getAttribute(ClientAccessFilter.CLIENT_IDENTITY));
        WebSocket upstream;
        try
        {
            upstream = connect(request, target, requestId, relay);
        }
        catch (UpstreamRefusal refusal)
        {
            ErrorResponses.write(response, refusal.error);
            return;
        }
        relay.upstreamOpened(upstream);
        try
        {
            container.upgradeHttpToWebSocket(request, response, RelayEndpointConfig.create(relay, upstream.getSubprotocol()), Map.of());
        }
        catch (DeploymentException x)
        {
            upstream.abort();
            throw new IOException("the WebSocket upgrade failed", x);
        }
    }

    private WebSocket connect(HttpServletRequest request, URI target, String requestId, RealtimeRelay relay) throws UpstreamRefusal
    {
        WebSocket.Builder builder = client().newWebSocketBuilder().connectTimeout(Duration.ofMillis(connectTimeoutMs));
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
        for (HttpField field : headers)
            builder.header(field.getName(), field.getValue());
        List<String> subprotocols = forwardedSubprotocols(request);
        if (!subprotocols.isEmpty())
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        try
        {
            return builder.buildAsync(target, relay.upstreamListener()).get(connectTimeoutMs + 5_000, TimeUnit.MILLISECONDS);
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
        List<String> subprotocols = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("Sec-WebSocket-Protocol")))
        {
            for (String protocol : header.split(","))
            {
                String trimmed = protocol.trim();
                if (!trimmed.isEmpty() && !trimmed.startsWith(KEY_SUBPROTOCOL_PREFIX))
                    subprotocols.add(trimmed);
            }
        }
        return subprotocols;
    }

    static URI webSocketUri(String httpTarget)
    {
        if (httpTarget.startsWith("https:"))
            return URI.create("wss:" + httpTarget.substring(6));
        return URI.create("ws:" + httpTarget.substring(httpTarget.indexOf(':') + 1));
    }

    /** Stops the JDK client where the JDK can (Java 21 made it closeable); on 17 its thread ends once it is collected. */
    @Override
    public synchronized void destroy()
    {
        if (client instanceof AutoCloseable closeable)
        {
            try
            {
                closeable.close();
            }
            catch (Exception x)
            {
                log("could not close the realtime client", x);
            }
        }
        client = null;
        super.destroy();
    }

    private static final class UpstreamRefusal extends Exception
    {
        private final transient OpenAiError error;

        private UpstreamRefusal(OpenAiError error)
        {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
