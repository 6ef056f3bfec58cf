package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.DepartingClient;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.HandshakeStream;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.RawHttp;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-Sent Events and other long responses: relayed as they come, cut when either side fails. */
class StreamingTest
{
    private static final int EVENTS = 5;

    @TempDir
    static Path logs;
    static FakeUpstream upstream;
    static EmbeddedProxy proxy;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start()
    {
        upstream = FakeUpstream.start();
        Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
        config.put("UPSTREAM_IDLE_TIMEOUT_MS", "2000");
        proxy = EmbeddedProxy.start(config);
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        upstream.close();
    }

    @BeforeEach
    void reset()
    {
        upstream.drainRequests();
    }

    private HttpRequest chatStream()
    {
        return HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,\"messages\":[]}"))
            .header("Content-Type", "application/json").build();
    }

    @Test
    void eachEventReachesTheClientBeforeUpstreamSendsTheNext() throws Exception
    {
        HandshakeStream stream = new HandshakeStream(EVENTS);
        upstream.script(stream.script());

        HttpResponse<InputStream> response = client.send(chatStream(), HttpResponse.BodyHandlers.ofInputStream());

        assertEquals(EVENTS, stream.read(response.body()));
        assertTrue(stream.done());
    }

    /** Python's requests/urllib3 hand a chunk over only with its closing CRLF, which Jetty defers to the next write. */
    @Test
    void eachEventReachesAClientThatReadsWholeChunksBeforeUpstreamSendsTheNext() throws Exception
    {
        HandshakeStream stream = new HandshakeStream(EVENTS);
        upstream.script(stream.script());
        String body = "{\"stream\":true}";

        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port()))
        {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "User-Agent: python-requests/2.32.3\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));

            assertEquals(EVENTS, stream.readWholeChunks(socket.getInputStream()));
        }
        assertTrue(stream.done());
    }

    @Test
    void eventsArriveWithinMillisecondsOfBeingSent() throws Exception
    {
        long[] sentAt = new long[EVENTS];
        upstream.script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "text/event-stream");
            for (int i = 0; i < EVENTS; i++)
            {
                Thread.sleep(150);
                sentAt[i] = System.nanoTime();
                exchange.write(Scripts.chunkEvent(i, "x"));
            }
        });

        HttpResponse<InputStream> response = client.send(chatStream(), HttpResponse.BodyHandlers.ofInputStream());
        long[] delays = new long[EVENTS];
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)))
        {
            int index = 0;
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (line.startsWith("data: "))
                {
                    delays[index] = (System.nanoTime() - sentAt[index]) / 1_000_000;
                    index++;
                }
            }
            assertEquals(EVENTS, index);
        }

        System.out.println("SSE event delays through the proxy (ms): " + java.util.Arrays.toString(delays));
        // Generous bound for 2 shared cores; the figure itself belongs in the benchmark.
        for (long delay : delays)
            assertTrue(delay < 100, "event delays in ms: " + java.util.Arrays.toString(delays));
    }

    @Test
    void streamResponsesTellNginxNotToBuffer() throws Exception
    {
        upstream.script(Scripts.sse(List.of(Scripts.chunkEvent(0, "a"), "data: [DONE]\n\n"), 0));

        HttpResponse<String> response = client.send(chatStream(), HttpResponse.BodyHandlers.ofString());

        assertEquals("no", response.headers().firstValue("X-Accel-Buffering").orElseThrow());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
    }

    @Test
    void plainResponsesAreNotMarkedAsStreams() throws Exception
    {
        upstream.script(Scripts.json(200, "{}"));

        HttpResponse<String> response = client.send(chatStream(), HttpResponse.BodyHandlers.ofString());

        assertFalse(response.headers().firstValue("X-Accel-Buffering").isPresent());
    }

    @Test
    void clientDisconnectAbortsTheUpstreamRequestWithinASecond() throws Exception
    {
        CountDownLatch firstEventSent = new CountDownLatch(1);
        upstream.script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "text/event-stream");
            for (int i = 0; i < 600; i++)
            {
                exchange.write(Scripts.chunkEvent(i, "x"));
                firstEventSent.countDown();
                Thread.sleep(50);
            }
        });
        upstream.awaitScriptFailure(Duration.ZERO);

        long closedAt = DepartingClient.leaveAfterFirstBytes(proxy.port(), "/v1/chat/completions", firstEventSent);

        Throwable upstreamFailure = upstream.awaitScriptFailure(Duration.ofSeconds(10));
        long abortedAfterMs = (System.nanoTime() - closedAt) / 1_000_000;
        assertNotNull(upstreamFailure, "upstream kept streaming to a client that left");
        System.out.println("upstream request aborted " + abortedAfterMs + " ms after the client disconnected");
        assertTrue(abortedAfterMs < 1500, "upstream aborted " + abortedAfterMs + " ms after the client left");
        awaitUpstreamConnections(0);
    }

    @Test
    void upstreamFailureMidBodyNeverPassesForACompleteResponse() throws Exception
    {
        upstream.script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "application/json").header("Content-Length", "100000");
            exchange.write("{\"data\":\"" + "x".repeat(20_000));
            exchange.reset();
        });

        RawHttp.RawResponse response = RawHttp.send(proxy.port(), "GET /v1/files/f/content HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertEquals(200, response.status());
        assertFalse(response.complete(), "got " + response.body().length + " of 100000 bytes and a clean end");
    }

    @Test
    void silencesShorterThanTheIdleTimeoutDoNotCutTheStream() throws Exception
    {
        // Idle timeout is 2 s here; the stream lasts 6 s in 1.2 s silences: only a total limit would cut it.
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 6; i++)
            events.add(Scripts.chunkEvent(i, "slow"));
        events.add("data: [DONE]\n\n");
        upstream.script(Scripts.sse(events, 1000));

        HttpResponse<String> response = client.send(chatStream(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
    }

    private static void awaitUpstreamConnections(int expected) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (upstream.openConnections() > expected && System.nanoTime() < deadline)
            Thread.sleep(20);
        assertEquals(expected, upstream.openConnections(), "upstream connections still open");
    }
}
