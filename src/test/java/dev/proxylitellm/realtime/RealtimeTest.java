package dev.proxylitellm.realtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeRealtimeUpstream;
import dev.proxylitellm.support.TestConfig;
import dev.proxylitellm.support.WebSocketClient;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket sessions at /v1/realtime, relayed to a real WebSocket upstream through the proxy in embedded Jetty. */
class RealtimeTest
{
    @TempDir
    Path logs;
    FakeRealtimeUpstream upstream;
    EmbeddedProxy proxy;

    @BeforeEach
    void start()
    {
        upstream = FakeRealtimeUpstream.start();
        proxy = EmbeddedProxy.start(config(Map.of()));
    }

    private Map<String, String> config(Map<String, String> extra)
    {
        Map<String, String> config = TestConfig.against(upstream.baseUrl(), logs.resolve("proxy.log"));
        config.putAll(extra);
        return config;
    }

    @AfterEach
    void stop() throws Exception
    {
        proxy.close();
        upstream.close();
    }

    private URI realtime(EmbeddedProxy through, String query)
    {
        return URI.create(through.uri("/v1/realtime" + query).toString().replaceFirst("^http", "ws"));
    }

    @Test
    void credentialsAndAppIdAreAddedAndTheClientsRemoved() throws Exception
    {
        WebSocketClient client = WebSocketClient.connect(realtime(proxy, "?model=gpt-4o-realtime-preview&app_id=evil"),
            Map.of("Authorization", "Bearer client-own-key", "OpenAI-Beta", "realtime=v1", "X-Request-Id", "rt-1"), "realtime");

        FakeRealtimeUpstream.Handshake handshake = upstream.takeHandshake();
        assertEquals("/v1/realtime", handshake.path());
        assertEquals("model=gpt-4o-realtime-preview&app_id=" + TestConfig.APP_ID, handshake.query());
        assertEquals(TestConfig.DS_KEY, handshake.header("Authorization"));
        assertEquals("Bearer " + TestConfig.LITELLM_API_KEY, handshake.header("X-LiteLLM-Key"));
        assertEquals("realtime=v1", handshake.header("OpenAI-Beta"));
        assertEquals("rt-1", handshake.header("X-Request-Id"));
        assertEquals("realtime", client.socket().getSubprotocol());
        client.socket().sendClose(1000, "bye");
    }

    @Test
    void textAndBinaryMessagesAreEchoedInOrder() throws Exception
    {
        WebSocketClient client = WebSocketClient.connect(realtime(proxy, ""), Map.of());
        for (int i = 0; i < 50; i++)
        {
            client.sendText("{\"type\":\"event\",\"n\":" + i + ",\"text\":\"grüße ✓\"}");
            client.sendBinary(new byte[] {(byte)i, 0, (byte)255});
        }
        for (int i = 0; i < 50; i++)
        {
            assertEquals("{\"type\":\"event\",\"n\":" + i + ",\"text\":\"grüße ✓\"}", client.next());
            assertArrayEquals(new byte[] {(byte)i, 0, (byte)255}, (byte[])client.next());
        }
    }

    @Test
    void aOneMebibyteBinaryMessagePassesWhole() throws Exception
    {
        byte[] audio = new byte[1024 * 1024];
        new Random(7).nextBytes(audio);
        WebSocketClient client = WebSocketClient.connect(realtime(proxy, ""), Map.of());
        client.sendBinary(audio);
        assertArrayEquals(audio, (byte[])client.next());
    }

    @Test
    void theClientsCloseCodeAndReasonReachUpstream() throws Exception
    {
        WebSocketClient client = WebSocketClient.connect(realtime(proxy, ""), Map.of());
        client.socket().sendClose(4000, "session over").get(10, TimeUnit.SECONDS);
        CloseReason seen = upstream.awaitClose(10);
        assertNotNull(seen, "upstream saw no close");
        assertEquals(4000, seen.getCloseCode().getCode());
        assertEquals("session over", seen.getReasonPhrase());
        assertEquals(4000, client.awaitClose().code());
    }

    @Test
    void upstreamsCloseCodeAndReasonReachTheClient() throws Exception
    {
        WebSocketClient client = WebSocketClient.connect(realtime(proxy, ""), Map.of());
        client.sendText("close:4001:rate limited");
        WebSocketClient.Close close = client.awaitClose();
        assertEquals(4001, close.code());
        assertEquals("rate limited", close.reason());
    }

    @Test
    void aClientThatDropsIsClosedUpstreamPromptly() throws Exception
    {
        WebSocketClient client = WebSocketClient.connect(realtime(proxy, ""), Map.of());
        client.sendText("hello");
        assertEquals("hello", client.next());
        long dropped = System.nanoTime();
        client.socket().abort();
        CloseReason seen = upstream.awaitClose(10);
        assertNotNull(seen, "upstream was not closed after the client dropped");
        assertEquals(1001, seen.getCloseCode().getCode());
        System.out.println("client drop reached upstream after " + (System.nanoTime() - dropped) / 1_000_000 + " ms");
    }

    @Test
    void upstreamPingsAreAnswered() throws Exception
    {
        WebSocketClient client = WebSocketClient.connect(realtime(proxy, ""), Map.of());
        client.sendText("ping");
        assertEquals("are you there", upstream.awaitPong(10));
        client.sendText("still here");
        assertEquals("still here", client.next());
    }

    @Test
    void anUpstreamRefusalIsTheClientsHandshakeStatus() throws Exception
    {
        upstream.refuseWith(403);
        ExecutionException failure = assertThrows(ExecutionException.class, () -> WebSocketClient.connect(realtime(proxy, ""), Map.of()));
        WebSocketHandshakeException refused = (WebSocketHandshakeException)failure.getCause();
        assertEquals(403, refused.getResponse().statusCode());
        assertTrue(String.valueOf(refused.getResponse().body()).contains("upstream_refused"), String.valueOf(refused.getResponse().body()));
    }

    @Test
    void anUnreachableUpstreamIsA502Handshake() throws Exception
    {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0))
        {
            closedPort = socket.getLocalPort();
        }
        try (EmbeddedProxy nowhere = EmbeddedProxy.start(config(Map.of("LITELLM_BASE_URL", "http://127.0.0.1:" + closedPort + "/v1"))))
        {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> WebSocketClient.connect(realtime(nowhere, ""), Map.of()));
            assertEquals(502, ((WebSocketHandshakeException)failure.getCause()).getResponse().statusCode());
        }
    }

    @Test
    void aPlainHttpCallGetsA426InTheOpenAiShape() throws Exception
    {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.uri("/v1/realtime")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(426, response.statusCode());
        assertTrue(response.body().contains("\"code\":\"upgrade_required\""), response.body());
    }

    @Test
    void withClientKeysAKeyInTheSubprotocolIsAcceptedAndNotForwarded() throws Exception
    {
        try (EmbeddedProxy guarded = EmbeddedProxy.start(config(Map.of("PROXY_API_KEYS", "sk-browser-1"))))
        {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> WebSocketClient.connect(realtime(guarded, ""), Map.of()));
            assertEquals(401, ((WebSocketHandshakeException)refused.getCause()).getResponse().statusCode());

            WebSocketClient browser = WebSocketClient.connect(realtime(guarded, ""), Map.of(),
                "realtime", "openai-insecure-api-key.sk-browser-1", "openai-beta.realtime-v1");
            FakeRealtimeUpstream.Handshake handshake = upstream.takeHandshake();
            String offered = handshake.header("Sec-WebSocket-Protocol");
            assertTrue(offered.contains("realtime") && offered.contains("openai-beta.realtime-v1"), offered);
            assertFalse(offered.contains("sk-browser-1"), offered);
            assertEquals("realtime", browser.socket().getSubprotocol());

            WebSocketClient server = WebSocketClient.connect(realtime(guarded, ""), Map.of("Authorization", "Bearer sk-browser-1"));
            server.sendText("hi");
            assertEquals("hi", server.next());
        }
    }

    @Test
    void twoHundredConcurrentSessionsEachRelayAHundredMessages() throws Exception
    {
        List<Double> proxied = relayRoundTrips(realtime(proxy, ""));
        List<Double> direct = relayRoundTrips(upstream.directUri());
        System.out.printf("realtime round trip, 200 sessions x 100 messages: through the proxy p50 %.2f ms p99 %.2f ms; direct p50 %.2f ms p99 %.2f ms%n",
            percentile(proxied, 50), percentile(proxied, 99), percentile(direct, 50), percentile(direct, 99));
    }

    /** 200 sessions at once, each sending 100 messages one after the other; the round trip of each, in ms. */
    private static List<Double> relayRoundTrips(URI uri) throws Exception
    {
        List<Double> roundTrips = Collections.synchronizedList(new ArrayList<>());
        ExecutorService sessions = Executors.newFixedThreadPool(200);
        try
        {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < 200; s++)
            {
                int session = s;
                done.add(sessions.submit(() ->
                {
                    WebSocketClient client = WebSocketClient.connect(uri, Map.of());
                    for (int i = 0; i < 100; i++)
                    {
                        String message = "{\"type\":\"input_audio_buffer.append\",\"session\":" + session + ",\"n\":" + i + "}";
                        long sent = System.nanoTime();
                        client.sendText(message);
                        assertEquals(message, client.next());
                        roundTrips.add((System.nanoTime() - sent) / 1e6);
                    }
                    client.socket().sendClose(1000, "done").get(10, TimeUnit.SECONDS);
                    return null;
                }));
            }
            for (Future<?> session : done)
                session.get(120, TimeUnit.SECONDS);
        }
        finally
        {
            sessions.shutdownNow();
        }
        assertEquals(200 * 100, roundTrips.size());
        return roundTrips;
    }

    private static double percentile(List<Double> values, double p)
    {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int)Math.ceil(p / 100 * sorted.size()) - 1));
    }
}
