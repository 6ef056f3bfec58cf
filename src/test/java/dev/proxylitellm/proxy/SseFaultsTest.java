package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.DepartingClient;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.RawHttp;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streams whose upstream fails or falls silent. */
class SseFaultsTest
{
    @TempDir
    Path logs;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private EmbeddedProxy proxy(FakeUpstream upstream, long keepAliveMs)
    {
        Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
        config.put("SSE_KEEPALIVE_MS", String.valueOf(keepAliveMs));
        return EmbeddedProxy.start(config);
    }

    private HttpResponse<String> stream(EmbeddedProxy proxy) throws Exception
    {
        return client.send(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUpstreamFailingMidStreamEndsItWithAnErrorEvent() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = proxy(upstream, 0))
        {
            upstream.script((request, exchange) ->
            {
                exchange.status(200).header("Content-Type", "text/event-stream");
                exchange.write(Scripts.chunkEvent(0, "partial"));
                exchange.write(Scripts.chunkEvent(1, "answer"));
                exchange.reset();
            });

            RawHttp.RawResponse response = rawStream(proxy);

            assertTrue(response.bodyText().startsWith(Scripts.chunkEvent(0, "partial") + Scripts.chunkEvent(1, "answer")), response.bodyText());
            assertTrue(response.bodyText().endsWith("\n\ndata: {\"error\":{\"message\":\"The upstream API closed the connection or sent an invalid response.\","
                + "\"type\":\"upstream_error\",\"param\":null,\"code\":\"upstream_error\"}}\n\n"), response.bodyText());
            // A client that ignores error events must still see that the answer is incomplete.
            assertFalse(response.complete(), "the cut stream ended with a terminating chunk:\n" + response.raw());
        }
    }

    /** Headers alone are no answer yet: a stream that upstream cuts before its first event is a 502, which SDKs retry. */
    @ParameterizedTest(name = "upstream thinks {0} ms")
    @ValueSource(ints = {0, 300})
    void aStreamCutByUpstreamBeforeItsFirstEventIsA502(int thinkMs) throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = proxy(upstream, 0))
        {
            upstream.script((request, exchange) ->
            {
                exchange.status(200).header("Content-Type", "text/event-stream");
                exchange.write(new byte[0]);
                Thread.sleep(thinkMs);
                exchange.reset();
            });

            RawHttp.RawResponse response = rawStream(proxy);

            assertEquals(502, response.status(), response.raw());
            assertTrue(response.bodyText().contains("\"code\":\"upstream_error\""), response.raw());
            assertTrue(response.complete(), response.raw());
        }
    }

    private static RawHttp.RawResponse rawStream(EmbeddedProxy proxy) throws Exception
    {
        String body = "{\"stream\":true}";
        return RawHttp.send(proxy.port(), "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    }

    @Test
    void theErrorEventNeverRunsIntoAHalfSentEvent() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = proxy(upstream, 0))
        {
            upstream.script((request, exchange) ->
            {
                exchange.status(200).header("Content-Type", "text/event-stream");
                exchange.write("data: {\"choices\":[{\"delta\":{\"content\":\"cut he");
                exchange.reset();
            });

            String body = rawStream(proxy).bodyText();

            assertTrue(body.contains("cut he\n\ndata: {\"error\":"), body);
        }
    }

    @Test
    void aSilentUpstreamGetsKeepAliveCommentsOnlyBetweenEvents() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = proxy(upstream, 150))
        {
            String first = Scripts.chunkEvent(0, "a");
            String second = "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n";
            upstream.script((request, exchange) ->
            {
                exchange.status(200).header("Content-Type", "text/event-stream");
                exchange.write(first);
                Thread.sleep(700);
                exchange.write(second.substring(0, 30));
                Thread.sleep(700);
                exchange.write(second.substring(30));
                exchange.write("data: [DONE]\n\n");
            });

            String body = stream(proxy).body();

            assertTrue(body.startsWith(first + ": keep-alive\n\n"), body);
            assertTrue(body.contains(second + "data: [DONE]\n\n"), "an event was split:\n" + body);
            String between = body.substring(first.length(), body.indexOf(second));
            assertTrue(between.replace(": keep-alive\n\n", "").isEmpty(), "not only comments between the events:\n" + body);
        }
    }

    @Test
    void keepAlivesNoticeAClientThatLeftDuringASilence() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = proxy(upstream, 200))
        {
            CountDownLatch firstEventSent = new CountDownLatch(1);
            upstream.script((request, exchange) ->
            {
                exchange.status(200).header("Content-Type", "text/event-stream");
                exchange.write(Scripts.chunkEvent(0, "thinking..."));
                firstEventSent.countDown();
                // A reasoning model thinking for a while, then answering: by then the proxy must have hung up.
                Thread.sleep(3000);
                exchange.write(Scripts.chunkEvent(1, "late"));
                Thread.sleep(200);
                exchange.write(Scripts.chunkEvent(2, "later"));
            });
            upstream.awaitScriptFailure(Duration.ZERO);
            long closedAt = DepartingClient.leaveAfterFirstBytes(proxy.port(), "/v1/chat/completions", firstEventSent);

            long noticedAfterMs = awaitLogged("outcome=client_abort", closedAt);
            System.out.println("silent stream: client departure noticed " + noticedAfterMs + " ms after it left (keep-alive 200 ms)");
            assertTrue(noticedAfterMs < 2000, "noticed only " + noticedAfterMs + " ms after the client left");
            assertNotNull(upstream.awaitScriptFailure(Duration.ofSeconds(10)), "the upstream connection stayed open");
        }
    }

    private long awaitLogged(String text, long sinceNanos) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Path log = logs.resolve("proxy.log");
        while (System.nanoTime() < deadline)
        {
            if (java.nio.file.Files.readString(log).contains(text))
                return (System.nanoTime() - sinceNanos) / 1_000_000;
            Thread.sleep(20);
        }
        throw new AssertionError(text + " was not logged within 10 s");
    }
}
