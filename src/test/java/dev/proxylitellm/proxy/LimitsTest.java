package dev.proxylitellm.proxy;

import static dev.proxylitellm.support.OpenAiErrorAssertions.assertOpenAiError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.BackToBack;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.RawHttp;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request size and concurrency limits: a JSON error, and nothing sent upstream. */
class LimitsTest
{
    @TempDir
    Path logs;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Map<String, String> config(FakeUpstream upstream, String key, String value)
    {
        Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
        config.put(key, value);
        return config;
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsA413BeforeAnythingIsSent() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "MAX_REQUEST_BYTES", "1000")))
        {
            RawHttp.RawResponse response = RawHttp.send(proxy.port(), "POST /v1/files HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n"
                + "Expect: 100-continue\r\n\r\n");

            assertOpenAiError(413, "request_too_large", response.status(), response.header("Content-Type"), response.bodyText());
            assertTrue(upstream.drainRequests().isEmpty());
        }
    }

    @Test
    void aChunkedBodyGrowingPastTheLimitIsA413AndTheUpstreamRequestIsAborted() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "MAX_REQUEST_BYTES", "100000")))
        {
            upstream.script(Scripts.echo());
            byte[] body = new byte[300_000];

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/files"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

            assertOpenAiError(413, "request_too_large", response.statusCode(),
                response.headers().firstValue("content-type").orElse(""), response.body());
            assertTrue(upstream.drainRequests().isEmpty(), "upstream received a complete request");
        }
    }

    @Test
    void aBodyExactlyAtTheLimitPasses() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "MAX_REQUEST_BYTES", "5000")))
        {
            upstream.script(Scripts.echo());

            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/files"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[5000]))).build(),
                HttpResponse.BodyHandlers.ofByteArray());

            assertEquals(200, response.statusCode());
            assertEquals(5000, response.body().length);
        }
    }

    @Test
    void requestsBeyondTheConcurrencyLimitAreA429WithRetryAfter() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "MAX_CONCURRENT_REQUESTS", "2")))
        {
            CountDownLatch bothArrived = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            upstream.script((request, exchange) ->
            {
                exchange.status(200).header("Content-Type", "text/event-stream");
                exchange.write(": open\n\n");
                bothArrived.countDown();
                release.await(10, TimeUnit.SECONDS);
                exchange.write("data: [DONE]\n\n");
            });
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++)
                held.add(client.sendAsync(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertTrue(bothArrived.await(10, TimeUnit.SECONDS));

            HttpResponse<String> third = client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            release.countDown();
            for (CompletableFuture<HttpResponse<String>> response : held)
                assertEquals(200, response.get(10, TimeUnit.SECONDS).statusCode());
            upstream.script(Scripts.json(200, "{}"));
            HttpResponse<String> after = client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());

            assertOpenAiError(429, "too_many_requests", third.statusCode(), third.headers().firstValue("content-type").orElse(""), third.body());
            assertEquals("1", third.headers().firstValue("retry-after").orElseThrow());
            assertEquals(200, after.statusCode(), "a permit was not given back");
        }
    }

    @Test
    void clientsCallingBackToBackAtTheConcurrencyLimitAreNeverRefused() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "MAX_CONCURRENT_REQUESTS", "2")))
        {
            upstream.script(BackToBack.slowAnswers(20));

            List<Integer> statuses = BackToBack.run(proxy.uri("/v1/chat/completions"), 2, 60);

            assertEquals(List.of(200), statuses.stream().distinct().toList(), "statuses: " + statuses);
        }
    }

    @Test
    void aHeaderSectionLargerThanMaxHeaderBytesIsA431AndNothingGoesUpstream() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "MAX_HEADER_BYTES", "1024")))
        {
            RawHttp.RawResponse response = RawHttp.send(proxy.port(), "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1100)
                + "\r\nConnection: close\r\n\r\n");

            assertOpenAiError(431, "request_header_fields_too_large", response.status(), response.header("Content-Type"), response.bodyText());
            assertTrue(upstream.drainRequests().isEmpty());
        }
    }

    @Test
    void aHeaderSectionWithinMaxHeaderBytesPasses() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "MAX_HEADER_BYTES", "1024")))
        {
            RawHttp.RawResponse response = RawHttp.send(proxy.port(), "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(900)
                + "\r\nConnection: close\r\n\r\n");

            assertEquals(200, response.status(), response.raw());
            assertEquals("a".repeat(900), upstream.takeRequest().header("X-Big"));
        }
    }

    @Test
    void aRequestTargetLongerThanMaxRequestTargetBytesIsA414AndNothingGoesUpstream() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start();
             EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "MAX_REQUEST_TARGET_BYTES", "256")))
        {
            RawHttp.RawResponse longOne = RawHttp.send(proxy.port(), "GET /v1/models?q=" + "b".repeat(250) + " HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
            RawHttp.RawResponse shortOne = RawHttp.send(proxy.port(), "GET /v1/models?q=" + "b".repeat(200) + " HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");

            assertOpenAiError(414, "uri_too_long", longOne.status(), longOne.header("Content-Type"), longOne.bodyText());
            assertEquals(200, shortOne.status(), shortOne.raw());
            assertEquals(1, upstream.drainRequests().size(), "the long target was forwarded");
        }
    }
}
