package dev.proxylitellm.realtime;

import dev.proxylitellm.metrics.ExchangeMetrics;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One realtime session: the client's WebSocket (a Jakarta {@link Endpoint}, served by the
 * container) joined to the upstream one (the JDK's {@link WebSocket}). Messages pass whole and in
 * order both ways, with flow control on each side: a client message is sent upstream before the
 * next one is read, and the next upstream message is requested only once the previous one has
 * been written to the client. Close codes and reasons pass through both ways; when either side
 * drops, the other is closed at once.
 */
public final class RealtimeRelay extends Endpoint
{
    private static final Logger LOG = LoggerFactory.getLogger("dev.proxylitellm.realtime");
    private static final long CLOSE_GRACE_SECONDS = 5;

    private final RealtimeSettings settings;
    private final ExchangeMetrics metrics;
    private final String requestId;
    private final String client;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final CompletableFuture<Session> clientSession = new CompletableFuture<>();
    private final Upstream upstream = new Upstream();
    private volatile WebSocket upstreamSocket;

    /**
     * @param client the client's identity for the log, or null
     */
    public RealtimeRelay(RealtimeSettings settings, ExchangeMetrics metrics, String requestId, String client)
    {
        this.settings = settings;
        this.metrics = metrics;
        this.requestId = requestId;
        this.client = client;
    }

    /** The listener the upstream WebSocket is opened with. */
    public WebSocket.Listener upstreamListener()
    {
        return upstream;
    }

    /** Called once the upstream WebSocket is open. */
    public void upstreamOpened(WebSocket socket)
    {
        this.upstreamSocket = socket;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config)
    {
        session.setMaxIdleTimeout(settings.idleTimeoutMs());
        session.setMaxTextMessageBufferSize(settings.maxMessageBytes());
        session.setMaxBinaryMessageBufferSize(settings.maxMessageBytes());
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>)this::fromClient);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>)this::fromClient);
        metrics.realtimeOpened();
        clientSession.complete(session);
        // Upstream's messages were held back until now: there was nowhere to send them.
        upstreamSocket.request(1);
    }

    private void fromClient(String text)
    {
        framesIn.incrementAndGet();
        bytesIn.addAndGet(text.length());
        metrics.realtimeFrame("client_to_upstream", text.length());
        awaitSent(upstreamSocket.sendText(text, true));
    }

    private void fromClient(ByteBuffer data)
    {
        framesIn.incrementAndGet();
        bytesIn.addAndGet(data.remaining());
        metrics.realtimeFrame("client_to_upstream", data.remaining());
        awaitSent(upstreamSocket.sendBinary(data, true));
    }

    /**
     * Waits for a message to be out to upstream before the container reads the client's next one:
     * a client faster than upstream is slowed down, and memory stays at one message.
     */
    private void awaitSent(CompletableFuture<WebSocket> sent)
    {
        try
        {
            sent.get(settings.idleTimeoutMs(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            upstreamFailed(x);
        }
        catch (Exception x)
        {
            upstreamFailed(x);
        }
    }

    @Override
    public void onClose(Session session, CloseReason reason)
    {
        int code = reason.getCloseCode().getCode();
        WebSocket socket = upstreamSocket;
        if (socket != null && !socket.isOutputClosed())
        {
            // A client that vanished (1006) or sent no code (1005) cannot be quoted: upstream hears "going away".
            int forwarded = CloseCodes.sendable(code, 1001);
            socket.sendClose(forwarded, CloseCodes.reason(reason.getReasonPhrase()));
            abortUnlessClosed(socket);
        }
        end(code, "client");
    }

    @Override
    public void onError(Session session, Throwable failure)
    {
        if (LOG.isDebugEnabled())
            LOG.debug("realtime client side failed", failure);
        WebSocket socket = upstreamSocket;
        if (socket != null && !socket.isOutputClosed())
        {
            socket.sendClose(1001, "client connection lost");
            abortUnlessClosed(socket);
        }
    }

    /** Gives upstream a few seconds to answer a close, as the protocol asks, then drops the connection. */
    private static void abortUnlessClosed(WebSocket socket)
    {
        CompletableFuture.delayedExecutor(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS).execute(() ->
        {
            if (!socket.isInputClosed())
                socket.abort();
        });
    }

    private void upstreamFailed(Throwable failure)
    {
        if (LOG.isDebugEnabled())
            LOG.debug("realtime upstream side failed", failure);
        closeClient(1011, "upstream connection lost");
        WebSocket socket = upstreamSocket;
        if (socket != null)
            socket.abort();
    }

    private void closeClient(int code, String reason)
    {
        clientSession.thenAccept(session ->
        {
            try
            {
                if (session.isOpen())
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(CloseCodes.sendable(code, 1011)), CloseCodes.reason(reason)));
            }
            catch (IOException x)
            {
                LOG.debug("could not close the realtime client", x);
            }
        });
    }

    /** Logs and counts the session's end, once. */
    private void end(int code, String closedBy)
    {
        if (!ended.compareAndSet(false, true))
            return;
        metrics.realtimeClosed();
        if (!LOG.isInfoEnabled())
            return;
        try (MDC.MDCCloseable id = MDC.putCloseable("request_id", requestId))
        {
            LOG.info("realtime session client={} closed_by={} code={} duration={}ms frames_in={} frames_out={} bytes_in={}B bytes_out={}B",
                client == null ? "-" : client, closedBy, code, (System.nanoTime() - startNanos) / 1_000_000,
                framesIn.get(), framesOut.get(), bytesIn.get(), bytesOut.get());
        }
    }

    /** Upstream's side: each whole message is sent to the client before the next is asked for. */
    private final class Upstream implements WebSocket.Listener
    {
        private StringBuilder text;
        private ByteArrayOutputStream binary;

        @Override
        public void onOpen(WebSocket socket)
        {
            // No request(1) yet: the client's session is not open. RealtimeRelay.onOpen asks.
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last)
        {
            if (text == null)
                text = new StringBuilder(data.length());
            text.append(data);
            if (text.length() > settings.maxMessageBytes())
                return tooBig(socket);
            if (!last)
            {
                socket.request(1);
                return null;
            }
            String message = text.toString();
            text = null;
            framesOut.incrementAndGet();
            bytesOut.addAndGet(message.length());
            metrics.realtimeFrame("upstream_to_client", message.length());
            clientSession.thenAccept(session -> session.getAsyncRemote().sendText(message, sentToClient(session, socket)));
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last)
        {
            if (binary == null)
                binary = new ByteArrayOutputStream(Math.max(data.remaining(), 256));
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (binary.size() > settings.maxMessageBytes())
                return tooBig(socket);
            if (!last)
            {
                socket.request(1);
                return null;
            }
            ByteBuffer message = ByteBuffer.wrap(binary.toByteArray());
            binary = null;
            framesOut.incrementAndGet();
            bytesOut.addAndGet(message.remaining());
            metrics.realtimeFrame("upstream_to_client", message.remaining());
            clientSession.thenAccept(session -> session.getAsyncRemote().sendBinary(message, sentToClient(session, socket)));
            return null;
        }

        private SendHandler sentToClient(Session session, WebSocket socket)
        {
            return result ->
            {
                if (result.isOK())
                    socket.request(1);
                else if (session.isOpen())
                    // The client is gone: upstream hears "going away", not a dropped connection.
                    RealtimeRelay.this.onError(null, result.getException());
                else
                    // The session is closing: a client's own close fails the sends still pending (Tomcat does so
                    // before it calls onClose), and onClose passes the client's code on. Going away only if
                    // onClose never comes.
                    CompletableFuture.delayedExecutor(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS)
                        .execute(() -> RealtimeRelay.this.onError(null, result.getException()));
            };
        }

        private CompletionStage<?> tooBig(WebSocket socket)
        {
            text = null;
            binary = null;
            socket.sendClose(1009, "message larger than the proxy's REALTIME_MAX_MESSAGE_BYTES");
            abortUnlessClosed(socket);
            closeClient(1009, "upstream message larger than the proxy allows");
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason)
        {
            closeClient(statusCode == 1005 ? 1000 : statusCode, reason);
            end(statusCode, "upstream");
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error)
        {
            upstreamFailed(error);
            end(1011, "upstream");
        }
    }
}
