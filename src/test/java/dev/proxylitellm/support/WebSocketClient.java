package dev.proxylitellm.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's WebSocket client (the JDK's): collects whole messages — text as {@code String},
 * binary as {@code byte[]} — and the close it receives.
 */
public final class WebSocketClient implements WebSocket.Listener
{
    /** A close as the client received it. */
    public record Close(int code, String reason)
    {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final List<CharSequence> textParts = new ArrayList<>();
    private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    private WebSocket socket;

    /** Connects, or fails with the JDK's exception (a WebSocketHandshakeException carries the status). */
    public static WebSocketClient connect(URI uri, Map<String, String> headers, String... subprotocols) throws Exception
    {
        WebSocketClient client = new WebSocketClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        if (subprotocols.length > 0)
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        client.socket = builder.buildAsync(uri, client).get(20, TimeUnit.SECONDS);
        return client;
    }

    public WebSocket socket()
    {
        return socket;
    }

    public void sendText(String text) throws Exception
    {
        socket.sendText(text, true).get(20, TimeUnit.SECONDS);
    }

    public void sendBinary(byte[] data) throws Exception
    {
        socket.sendBinary(ByteBuffer.wrap(data), true).get(20, TimeUnit.SECONDS);
    }

    /** The next whole message, waiting up to 20 s. */
    public Object next() throws InterruptedException
    {
        Object message = messages.poll(20, TimeUnit.SECONDS);
        if (message == null)
            throw new AssertionError("no message within 20 s");
        return message;
    }

    public Close awaitClose() throws Exception
    {
        return closed.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket)
    {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
    {
        textParts.add(data.toString());
        if (last)
        {
            messages.add(String.join("", textParts));
            textParts.clear();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last)
    {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.writeBytes(bytes);
        if (last)
        {
            messages.add(binary.toByteArray());
            binary = new java.io.ByteArrayOutputStream();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason)
    {
        closed.complete(new Close(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error)
    {
        closed.complete(new Close(1006, String.valueOf(error)));
    }
}
