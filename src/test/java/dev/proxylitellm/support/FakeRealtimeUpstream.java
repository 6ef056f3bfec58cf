package dev.proxylitellm.support;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A realtime upstream: a real WebSocket server at {@code /v1/realtime} that records each
 * handshake (target and headers) and echoes every message. A text message {@code close:<code>:<reason>}
 * makes it close with that code, {@code ping} makes it ping the client, and every close it sees is
 * recorded. {@link #refuseWith(int)} makes it refuse handshakes with a status.
 */
public final class FakeRealtimeUpstream implements AutoCloseable
{
    /** A handshake as upstream received it; header names in lower case. */
    public record Handshake(String path, String query, Map<String, List<String>> headers)
    {
        public String header(String name)
        {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }
    }

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
    private final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile int refusal;

    private FakeRealtimeUpstream() throws Exception
    {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) ->
            container.addEndpoint(ServerEndpointConfig.Builder.create(Echo.class, "/v1/realtime")
                .subprotocols(List.of("realtime"))
                .configurator(new ServerEndpointConfig.Configurator()
                {
                    @Override
                    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response)
                    {
                        Map<String, List<String>> headers = new TreeMap<>();
                        request.getHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values)));
                        URI uri = request.getRequestURI();
                        handshakes.add(new Handshake(uri.getRawPath(), request.getQueryString(), headers));
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass)
                    {
                        return endpointClass.cast(new Echo(FakeRealtimeUpstream.this));
                    }
                })
                .build()));
        // In front of the context: Jetty's WebSocket upgrade filter would run before any filter of ours.
        server.setHandler(new Handler.Wrapper(context)
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception
            {
                if (refusal == 0)
                    return super.handle(request, response, callback);
                Response.writeError(request, response, callback, refusal);
                return true;
            }
        });
        server.start();
    }

    public static FakeRealtimeUpstream start()
    {
        try
        {
            return new FakeRealtimeUpstream();
        }
        catch (Exception x)
        {
            throw new IllegalStateException(x);
        }
    }

    /** The base URL to configure as LITELLM_BASE_URL. */
    public URI baseUrl()
    {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/v1");
    }

    /** The URI to reach the echo directly, without the proxy. */
    public URI directUri()
    {
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/v1/realtime");
    }

    public void refuseWith(int status)
    {
        refusal = status;
    }

    public Handshake takeHandshake() throws InterruptedException
    {
        Handshake handshake = handshakes.poll(10, TimeUnit.SECONDS);
        if (handshake == null)
            throw new AssertionError("no handshake reached upstream");
        return handshake;
    }

    /** The next close upstream saw, waiting up to {@code seconds}; null if none. */
    public CloseReason awaitClose(long seconds) throws InterruptedException
    {
        return closes.poll(seconds, TimeUnit.SECONDS);
    }

    public String awaitPong(long seconds) throws InterruptedException
    {
        return pongs.poll(seconds, TimeUnit.SECONDS);
    }

    public int openSessions()
    {
        return open.get();
    }

    @Override
    public void close() throws Exception
    {
        server.stop();
    }

    /** The echo endpoint, one per session. */
    public static final class Echo extends Endpoint
    {
        private final FakeRealtimeUpstream upstream;

        Echo(FakeRealtimeUpstream upstream)
        {
            this.upstream = upstream;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config)
        {
            upstream.open.incrementAndGet();
            session.setMaxBinaryMessageBufferSize(32 * 1024 * 1024);
            session.setMaxTextMessageBufferSize(32 * 1024 * 1024);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>)text ->
            {
                try
                {
                    if (text.startsWith("close:"))
                    {
                        String[] parts = text.split(":", 3);
                        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(Integer.parseInt(parts[1])), parts[2]));
                    }
                    else if (text.equals("ping"))
                    {
                        session.getBasicRemote().sendPing(ByteBuffer.wrap("are you there".getBytes()));
                    }
                    else
                    {
                        session.getBasicRemote().sendText(text);
                    }
                }
                catch (Exception x)
                {
                    throw new IllegalStateException(x);
                }
            });
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>)data ->
            {
                try
                {
                    session.getBasicRemote().sendBinary(data);
                }
                catch (Exception x)
                {
                    throw new IllegalStateException(x);
                }
            });
            session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>)pong ->
                upstream.pongs.add(java.nio.charset.StandardCharsets.UTF_8.decode(pong.getApplicationData()).toString()));
        }

        @Override
        public void onClose(Session session, CloseReason reason)
        {
            upstream.open.decrementAndGet();
            upstream.closes.add(reason);
        }
    }
}
