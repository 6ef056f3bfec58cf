package dev.proxylitellm.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.OpenAiErrorAssertions;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RATE_LIMITS in one instance: per-client requests, tokens and concurrent calls, refused the way OpenAI refuses. */
class RateLimitTest
{
    private static final String BILLING_KEY = "pk-billing-8b21";
    private static final String REPORTING_KEY = "pk-reporting-44f0";

    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();


    private Map<String, String> config(FakeUpstream upstream, String rateLimits) throws Exception
    {
        Path keys = Files.writeString(dir.resolve("keys"), "sha256:" + TestConfig.keyDigest(BILLING_KEY) + " billing-bot\nsha256:" + TestConfig.keyDigest(REPORTING_KEY) + " reporting\n");
        Map<String, String> config = TestConfig.against(upstream, dir.resolve("proxy.log"));
        config.put("PROXY_API_KEYS_FILE", keys.toString());
        config.put("RATE_LIMITS", rateLimits);
        return config;
    }

    private HttpResponse<String> call(EmbeddedProxy proxy, String key) throws Exception
    {
        return client.send(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions")).header("Authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void callsOverTheRequestLimitGetA429WithOpenAisShapeAndRetryHeaders() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "*:rpm=3")))
        {
            List<String> remaining = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                HttpResponse<String> admitted = call(proxy, BILLING_KEY);
                assertEquals(200, admitted.statusCode());
                assertEquals("3", admitted.headers().firstValue("x-ratelimit-limit-requests").orElse(null));
                remaining.add(admitted.headers().firstValue("x-ratelimit-remaining-requests").orElse(null));
            }
            HttpResponse<String> refused = call(proxy, BILLING_KEY);

            assertEquals(List.of("2", "1", "0"), remaining);
            OpenAiErrorAssertions.assertOpenAiError(429, "rate_limit_exceeded", refused.statusCode(),
                refused.headers().firstValue("content-type").orElse(""), refused.body());
            assertTrue(refused.body().contains("\"type\":\"requests\""), refused.body());
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            long retryAfterMs = Long.parseLong(refused.headers().firstValue("retry-after-ms").orElseThrow());
            // One request comes back every 20 s at rpm=3.
            assertTrue(retryAfter >= 1 && retryAfter <= 20, "Retry-After " + retryAfter);
            assertTrue(retryAfterMs > 0 && retryAfterMs <= 20_000, "retry-after-ms " + retryAfterMs);
            assertEquals("0", refused.headers().firstValue("x-ratelimit-remaining-requests").orElse(null));
            assertEquals(3, upstream.drainRequests().size());
        }
    }

    @Test
    void eachClientHasItsOwnLimits() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start();
             EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "*:rpm=2;billing-bot:rpm=4")))
        {
            int billing = 0;
            int reporting = 0;
            for (int i = 0; i < 6; i++)
            {
                billing += call(proxy, BILLING_KEY).statusCode() == 200 ? 1 : 0;
                reporting += call(proxy, REPORTING_KEY).statusCode() == 200 ? 1 : 0;
            }

            assertEquals(4, billing);
            assertEquals(2, reporting);
        }
    }

    @Test
    void aClientOverItsTokenBudgetIsRefusedFromItsNextCall() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "*:tpm=100")))
        {
            upstream.script(Scripts.json(200, "{\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":70,\"completion_tokens\":60,\"total_tokens\":130}}"));

            HttpResponse<String> first = call(proxy, BILLING_KEY);
            assertEquals(200, first.statusCode());
            assertEquals("100", first.headers().firstValue("x-ratelimit-limit-tokens").orElse(null));

            HttpResponse<String> next = awaitRefusal(proxy, BILLING_KEY);
            assertTrue(next.body().contains("\"type\":\"tokens\""), next.body());
            assertEquals(200, call(proxy, REPORTING_KEY).statusCode(), "another client was charged");
            assertEquals(2, upstream.drainRequests().size());
        }
    }

    @Test
    void tokensOfAStreamedAnswerAreChargedFromItsUsageChunk() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "*:tpm=50")))
        {
            upstream.script((request, exchange) ->
            {
                exchange.status(200).header("Content-Type", "text/event-stream");
                exchange.write(Scripts.chunkEvent(0, "hi"));
                exchange.write("data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":40,\"total_tokens\":70}}\n\n");
                exchange.write("data: [DONE]\n\n");
            });

            assertEquals(200, call(proxy, BILLING_KEY).statusCode());
            HttpResponse<String> next = awaitRefusal(proxy, BILLING_KEY);

            assertTrue(next.body().contains("\"type\":\"tokens\""), next.body());
        }
    }

    /** Tokens are charged as the exchange completes, just after the client has its answer. */
    private HttpResponse<String> awaitRefusal(EmbeddedProxy proxy, String key) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true)
        {
            HttpResponse<String> response = call(proxy, key);
            if (response.statusCode() == 429 || System.nanoTime() > deadline)
            {
                assertEquals(429, response.statusCode(), response.body());
                return response;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aClientAtItsConcurrentLimitIsRefusedUntilACallEndsAndBackToBackCallsNeverAre() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "*:concurrent=1")))
        {
            CountDownLatch slowArrived = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            upstream.script((request, exchange) ->
            {
                if (request.bodyText().contains("slow"))
                {
                    slowArrived.countDown();
                    finish.await(10, TimeUnit.SECONDS);
                }
                exchange.status(200).header("Content-Type", "application/json").write("{\"ok\":true}");
            });
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
                .header("Authorization", "Bearer " + BILLING_KEY).POST(HttpRequest.BodyPublishers.ofString("{\"slow\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertTrue(slowArrived.await(10, TimeUnit.SECONDS));

            HttpResponse<String> refused = call(proxy, BILLING_KEY);
            assertEquals(429, refused.statusCode());
            assertEquals(200, call(proxy, REPORTING_KEY).statusCode(), "another client's slot was taken");
            finish.countDown();
            assertEquals(200, slow.get(10, TimeUnit.SECONDS).statusCode());
            for (int i = 0; i < 20; i++)
                assertEquals(200, call(proxy, BILLING_KEY).statusCode(), "call " + i + " back to back was refused");
        }
    }

    @Test
    void refusalsAreCountedPerClientAndKind() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "billing-bot:rpm=1")))
        {
            call(proxy, BILLING_KEY);
            call(proxy, BILLING_KEY);
            call(proxy, BILLING_KEY);

            String page = client.send(HttpRequest.newBuilder(proxy.uri("/metrics")).header("Authorization", "Bearer " + BILLING_KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(page.contains("proxy_litellm_rate_limited_total{client=\"billing-bot\",kind=\"requests\"} 2.0"), page);
        }
    }

    @Test
    void upstreamsOwnRateLimitHeadersGiveWayToTheClients() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, "*:rpm=10")))
        {
            upstream.script((request, exchange) -> exchange.status(200).header("Content-Type", "application/json")
                .header("x-ratelimit-limit-requests", "10000").header("x-ratelimit-remaining-requests", "9999").write("{}"));

            HttpResponse<String> response = call(proxy, BILLING_KEY);

            assertEquals(List.of("10"), response.headers().allValues("x-ratelimit-limit-requests"));
            assertEquals(List.of("9"), response.headers().allValues("x-ratelimit-remaining-requests"));
        }
    }

    @Test
    void aBadRuleFailsTheStartNamingIt() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start();
             EmbeddedProxy proxy = EmbeddedProxy.startAllowingFailure(config(upstream, "*:rpm=ten")))
        {
            assertFalse(proxy.isWebappAvailable());
        }
    }
}
