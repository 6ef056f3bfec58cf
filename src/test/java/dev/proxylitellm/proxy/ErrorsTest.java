package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.proxylitellm.support.OpenAiErrorAssertions.assertOpenAiError;

import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.RawHttp;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The proxy's own errors: the OpenAI error shape, the right status and code, nothing internal. */
class ErrorsTest
{
    @TempDir
    Path logs;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(EmbeddedProxy proxy, String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(proxy.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String contentType(HttpResponse<?> response)
    {
        return response.headers().firstValue("content-type").orElse("");
    }

    @Test
    void refusedConnectionIsA502UpstreamUnreachable() throws Exception
    {
        FakeUpstream gone = FakeUpstream.start();
        Map<String, String> config = TestConfig.against(gone, logs.resolve("proxy.log"));
        gone.close();
        try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
        {
            HttpResponse<String> response = get(proxy, "/v1/models");

            assertOpenAiError(502, "upstream_unreachable", response.statusCode(), contentType(response), response.body());
        }
    }

    @Test
    void unknownUpstreamHostIsA502UpstreamUnreachable() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.put("LITELLM_BASE_URL", "http://no-such-host.invalid/v1");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpResponse<String> response = get(proxy, "/v1/models");

                assertOpenAiError(502, "upstream_unreachable", response.statusCode(), contentType(response), response.body());
            }
        }
    }

    @Test
    void upstreamSilentPastTheIdleTimeoutIsA504UpstreamTimeout() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            upstream.script((request, exchange) -> Thread.sleep(3000));
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.put("UPSTREAM_IDLE_TIMEOUT_MS", "500");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                long start = System.nanoTime();
                HttpResponse<String> response = get(proxy, "/v1/chat/completions");

                assertOpenAiError(504, "upstream_timeout", response.statusCode(), contentType(response), response.body());
                assertTrue((System.nanoTime() - start) / 1_000_000 < 2500, "the 504 came after the upstream answered");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/v1/../admin", "/v1/models/../../admin", "/v1/%2e%2e/admin", "/v1/%2E%2E/admin", "/v1/.%2e/admin",
        "/v1/%252e%252e/admin", "/v1/..;/admin", "/v1/models/..%2fadmin", "/v1/..%5cadmin", "/v1/a%5c..%5cadmin",
        "/v1/./models", "/v1//admin", "/v1/a%0d%0aX-Injected:%201", "/v1/a%09b", "/v1/a%7f"})
    void suspiciousPathsAreRefusedWithInvalidPathAndNeverForwarded(String path) throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start();
             EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            RawHttp.RawResponse response = RawHttp.send(proxy.port(), "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

            assertOpenAiError(400, "invalid_path", response.status(), response.header("Content-Type"), response.bodyText());
            assertTrue(upstream.drainRequests().isEmpty(), "a refused path reached upstream");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/models%zz", "/v1/models%2", "/v1/models%00", "/v1/mod els", "/v1/models\u0000"})
    void malformedTargetsAreRefusedByTheContainerAndNeverForwarded(String path) throws Exception
    {
        // Jetty's HTTP parser rejects these before any webapp sees them (PathCheck would too).
        try (FakeUpstream upstream = FakeUpstream.start();
             EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            RawHttp.RawResponse response = RawHttp.send(proxy.port(), "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

            assertEquals(400, response.status());
            assertFalse(response.bodyText().contains("Exception"), response.bodyText());
            assertTrue(upstream.drainRequests().isEmpty(), "a malformed target reached upstream");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROPFIND", "LINK", "FOO"})
    void otherMethodsAreA405WithAllow(String method) throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start();
             EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            RawHttp.RawResponse response = RawHttp.send(proxy.port(), method + " /v1/models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

            assertOpenAiError(405, "method_not_allowed", response.status(), response.header("Content-Type"), response.bodyText());
            assertEquals("GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD", response.header("Allow"));
            assertTrue(upstream.drainRequests().isEmpty());
        }
    }
}
