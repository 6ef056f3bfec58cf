package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.LogFile;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every request's id: chosen once, sent upstream, returned to the client and written in its log lines. */
class RequestIdTest
{
    @TempDir
    Path logs;
    final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(EmbeddedProxy proxy, String path, String requestId) throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path));
        if (requestId != null)
            request.header("X-Request-Id", requestId);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSaneClientIdIsSentUpstreamAndReturned() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            upstream.script(Scripts.json(200, "{}"));
            HttpResponse<String> response = get(proxy, "/v1/models", "client-id_1.2");
            assertEquals(List.of("client-id_1.2"), response.headers().allValues("X-Request-Id"));
            assertEquals("client-id_1.2", upstream.takeRequest().header("X-Request-Id"));
        }
    }

    @Test
    void withoutAnIdTheProxyMakesOneAndUsesItEverywhere() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            upstream.script(Scripts.json(200, "{}"));
            String id = get(proxy, "/v1/models", null).headers().firstValue("X-Request-Id").orElseThrow();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            assertEquals(id, upstream.takeRequest().header("X-Request-Id"));
            String line = LogFile.awaitLine(logs.resolve("proxy.log"), "GET /v1/models 200");
            assertTrue(line.contains(" " + id + " - "), line);
        }
    }

    @Test
    void anInsaneClientIdIsReplacedBeforeItGoesAnywhere() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            upstream.script(Scripts.json(200, "{}"));
            String insane = "x".repeat(129);
            String id = get(proxy, "/v1/models", insane).headers().firstValue("X-Request-Id").orElseThrow();
            assertNotEquals(insane, id);
            assertEquals(id, upstream.takeRequest().header("X-Request-Id"));
        }
    }

    @Test
    void upstreamsOwnIdReachesTheClientUnderAnotherName() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            upstream.script((request, exchange) ->
            {
                exchange.status(200).header("X-Request-Id", "req_upstream_9").header("Content-Type", "application/json").header("Content-Length", "2");
                exchange.write("{}");
            });
            HttpResponse<String> response = get(proxy, "/v1/models", "mine-1");
            assertEquals(List.of("mine-1"), response.headers().allValues("X-Request-Id"));
            assertEquals(List.of("req_upstream_9"), response.headers().allValues("X-Upstream-Request-Id"));
        }
    }

    @Test
    void upstreamEchoingTheIdDoesNotDuplicateIt() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            upstream.script((request, exchange) ->
            {
                exchange.status(200).header("X-Request-Id", request.header("X-Request-Id")).header("Content-Length", "0");
            });
            HttpResponse<String> response = get(proxy, "/v1/models", "mine-2");
            assertEquals(List.of("mine-2"), response.headers().allValues("X-Request-Id"));
            assertTrue(response.headers().allValues("X-Upstream-Request-Id").isEmpty());
        }
    }

    @Test
    void requestsOutsideTheApiAndRefusedOnesGetAnIdToo() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            assertEquals("h-1", get(proxy, "/healthz", "h-1").headers().firstValue("X-Request-Id").orElse(null));
            HttpResponse<String> rejected = get(proxy, "/v1/../etc", "r-1");
            assertEquals("r-1", get(proxy, "/v1/models/%2e%2e/x", "r-1").headers().firstValue("X-Request-Id").orElse(null));
            assertTrue(rejected.headers().firstValue("X-Request-Id").isPresent());
        }
    }
}
