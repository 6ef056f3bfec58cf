package dev.proxylitellm.proxy;

import static dev.proxylitellm.support.OpenAiErrorAssertions.assertOpenAiError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.LogFile;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may read {@code /metrics}, and turning metrics off. */
class MetricsAccessTest
{
    private static final String METRICS_TOKEN = "metrics-token-SECRET-4b1d";
    private static final String CLIENT_KEY = "sk-team-b-abcdef";

    @TempDir
    Path logs;
    final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> metrics(EmbeddedProxy proxy, String authorization) throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/metrics"));
        if (authorization != null)
            request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> config(FakeUpstream upstream)
    {
        return TestConfig.against(upstream, logs.resolve("proxy.log"));
    }

    @Test
    void withoutKeysOrTokenTheMetricsAreOpen() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream)))
        {
            HttpResponse<String> response = metrics(proxy, null);
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), response.headers().toString());
            assertTrue(response.body().contains("# TYPE proxy_litellm_requests_in_flight gauge"), response.body());
        }
    }

    @Test
    void aPrometheusServerAskingForProtobufFirstIsServed() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream)))
        {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(proxy.uri("/metrics"))
                .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
                    + "text/plain;version=0.0.4;q=0.3,*/*;q=0.1").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"),
                response.headers().toString());
            assertTrue(response.body().length > 100);
        }
    }

    @Test
    void aTokenProtectsTheMetrics() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Map<String, String> config = config(upstream);
            config.put("METRICS_TOKEN", METRICS_TOKEN);
            config.put("PROXY_API_KEYS", CLIENT_KEY);
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                assertOpenAiError(metrics(proxy, null), 401, "invalid_api_key");
                assertOpenAiError(metrics(proxy, "Bearer wrong"), 401, "invalid_api_key");
                assertOpenAiError(metrics(proxy, "Bearer " + CLIENT_KEY), 401, "invalid_api_key");
                assertEquals(200, metrics(proxy, "Bearer " + METRICS_TOKEN).statusCode());
            }
            assertFalse(Files.readString(logs.resolve("proxy.log")).contains(METRICS_TOKEN), "the metrics token was logged");
        }
    }

    @Test
    void withoutATokenTheClientKeysProtectTheMetrics() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Map<String, String> config = config(upstream);
            config.put("PROXY_API_KEYS", CLIENT_KEY);
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpResponse<String> refused = metrics(proxy, null);
                assertOpenAiError(refused, 401, "invalid_api_key");
                assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElse(null));
                assertEquals(200, metrics(proxy, "Bearer " + CLIENT_KEY).statusCode());
            }
        }
    }

    @Test
    void turnedOffThereIsNoMetricsPageAndProxyingIsUnchanged() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Map<String, String> config = config(upstream);
            config.put("METRICS_ENABLED", "false");
            upstream.script(Scripts.json(200, "{\"model\":\"m\",\"usage\":{\"total_tokens\":3}}"));
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                assertOpenAiError(metrics(proxy, null), 404, "not_found");
                HttpResponse<String> proxied = http.send(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, proxied.statusCode());
                assertEquals("{\"model\":\"m\",\"usage\":{\"total_tokens\":3}}", proxied.body());
                // Without metrics, responses are not watched for usage either.
                String line = LogFile.awaitLine(logs.resolve("proxy.log"), "POST /v1/chat/completions 200 route=chat/completions");
                assertTrue(line.contains(" model=- tokens=- "), line);
            }
        }
    }
}
