package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxylitellm.support.DepartingClient;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.MetricsPage;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run of known traffic — a plain and a streamed chat completion with usage, one without
 * usage, an embedding, a stream the client abandons and an upstream reset — then the metrics page
 * and the JSON access log are read back and every figure is checked against that traffic.
 */
class ObservabilityTest
{
    private static final String CLIENT_KEY = "sk-team-a-0123456789";
    private static final String CHAT_BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM_BODY = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    private static final String NO_USAGE_BODY = "{\"model\":\"gpt-4o\",\"no_usage\":true}";
    private static final String EMBEDDING_BODY = "{\"model\":\"text-embedding-3-small\",\"input\":\"hello\"}";
    private static final String CHAT_RESPONSE = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello!\"}}],"
        + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":22,\"total_tokens\":33}}";
    private static final String NO_USAGE_RESPONSE = "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[]}";
    private static final String EMBEDDING_RESPONSE = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
        + "\"embedding\":[0.25,-0.5]}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}";
    private static final List<String> STREAM_EVENTS = List.of(
        "data: {\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"He\"}}],\"usage\":null}\n\n",
        "data: {\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"llo\"}}],\"usage\":null}\n\n",
        "data: {\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}\n\n",
        "data: [DONE]\n\n");

    @TempDir
    static Path logs;
    private static FakeUpstream upstream;
    private static EmbeddedProxy proxy;
    private static String client;
    private static MetricsPage metrics;
    private static List<JsonNode> accessLines;
    private static String streamRequestId;

    @BeforeAll
    static void runKnownTraffic() throws Exception
    {
        client = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CLIENT_KEY.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
        upstream = FakeUpstream.start();
        Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
        config.put("PROXY_API_KEYS", CLIENT_KEY);
        config.put("LOG_FORMAT", "json");
        proxy = EmbeddedProxy.start(config);

        CountDownLatch abandonedStreamStarted = new CountDownLatch(1);
        upstream.script((request, exchange) ->
        {
            String body = request.bodyText();
            if (request.path().endsWith("/embeddings"))
            {
                Scripts.json(200, EMBEDDING_RESPONSE).respond(request, exchange);
            }
            else if (request.query().contains("abandon"))
            {
                exchange.status(200).header("Content-Type", "text/event-stream");
                exchange.write(STREAM_EVENTS.get(0));
                abandonedStreamStarted.countDown();
                // Keeps streaming until the proxy hangs up after the client left.
                for (int i = 0; i < 100; i++)
                {
                    Thread.sleep(100);
                    exchange.write(STREAM_EVENTS.get(1));
                }
            }
            else if (request.query().contains("reset"))
            {
                exchange.reset();
            }
            else if (body.contains("\"stream\":true"))
            {
                Scripts.sse(STREAM_EVENTS, 0).respond(request, exchange);
            }
            else
            {
                Scripts.json(200, body.contains("no_usage") ? NO_USAGE_RESPONSE : CHAT_RESPONSE).respond(request, exchange);
            }
        });

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // The two that cost their upstream connection go first, so the pool ends with one idle connection.
        assertEquals(502, post(http, "/v1/chat/completions?reset=1", CHAT_BODY, null).statusCode());
        DepartingClient.leaveAfterFirstBytes(proxy.port(), "/v1/chat/completions?abandon=1",
            "Authorization: Bearer " + CLIENT_KEY + "\r\n", abandonedStreamStarted);
        awaitAccessLines(http, 2);
        assertEquals(200, post(http, "/v1/chat/completions", CHAT_BODY, null).statusCode());
        HttpResponse<String> stream = post(http, "/v1/chat/completions", STREAM_BODY, "stream-id-42");
        assertEquals(String.join("", STREAM_EVENTS), stream.body());
        streamRequestId = stream.headers().firstValue("X-Request-Id").orElseThrow();
        assertEquals(200, post(http, "/v1/chat/completions", NO_USAGE_BODY, null).statusCode());
        assertEquals(200, post(http, "/v1/embeddings", EMBEDDING_BODY, null).statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        awaitAccessLines(http, 7);
    }

    /** Reads the metrics and the log until {@code count} exchanges have ended (a response may reach the client just before its exchange ends). */
    private static void awaitAccessLines(HttpClient http, int count) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true)
        {
            metrics = new MetricsPage(http.send(HttpRequest.newBuilder(proxy.uri("/metrics")).header("Authorization", "Bearer " + CLIENT_KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body());
            accessLines = accessLines();
            boolean done = accessLines.size() >= count && metrics.value("proxy_litellm_requests_in_flight") == 0;
            if (done || System.nanoTime() > deadline)
                return;
            Thread.sleep(20);
        }
    }

    private static HttpResponse<String> post(HttpClient http, String path, String body, String requestId) throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path))
            .header("Authorization", "Bearer " + CLIENT_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null)
            request.header("X-Request-Id", requestId);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> accessLines() throws Exception
    {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(logs.resolve("proxy.log")))
        {
            JsonNode node = json.readTree(line);
            if (node.path("logger_name").asText().equals("dev.proxylitellm.access"))
                lines.add(node);
        }
        return lines;
    }

    @AfterAll
    static void stop() throws Exception
    {
        if (proxy != null)
            proxy.close();
        if (upstream != null)
            upstream.close();
    }

    private static double value(String name, String... labels)
    {
        Double value = metrics.value(name, labels);
        assertNotNull(value, () -> name + " " + List.of(labels) + " is missing from\n" + metrics.text());
        return value;
    }

    @Test
    void requestsAreCountedByRouteMethodStatusClassAndOutcome()
    {
        String requests = "proxy_litellm_requests_total";
        assertEquals(3, value(requests, "route", "chat/completions", "method", "POST", "status_class", "2xx", "outcome", "ok"));
        assertEquals(1, value(requests, "route", "chat/completions", "method", "POST", "status_class", "2xx", "outcome", "client_abort"));
        assertEquals(1, value(requests, "route", "chat/completions", "method", "POST", "status_class", "5xx", "outcome", "upstream_error"));
        assertEquals(1, value(requests, "route", "embeddings", "method", "POST", "status_class", "2xx", "outcome", "ok"));
        assertEquals(1, value(requests, "route", "models", "method", "GET", "status_class", "4xx", "outcome", "rejected"));
    }

    @Test
    void nothingIsInFlightOrOpenOnceTheTrafficHasEnded()
    {
        assertEquals(0, value("proxy_litellm_requests_in_flight"));
        assertEquals(0, value("proxy_litellm_streams_open"));
    }

    @Test
    void tokensAreSummedByModelAndClient()
    {
        String tokens = "proxy_litellm_tokens_total";
        assertEquals(11 + 5, value(tokens, "model", "gpt-4o", "client", client, "type", "prompt"));
        assertEquals(22 + 7, value(tokens, "model", "gpt-4o", "client", client, "type", "completion"));
        assertEquals(33 + 12, value(tokens, "model", "gpt-4o", "client", client, "type", "total"));
        assertEquals(8, value(tokens, "model", "text-embedding-3-small", "client", client, "type", "prompt"));
        assertEquals(8, value(tokens, "model", "text-embedding-3-small", "client", client, "type", "total"));
        assertNull(metrics.value(tokens, "model", "text-embedding-3-small", "client", client, "type", "completion"));
    }

    @Test
    void callsWithoutUsageCountAsUnknownTokens()
    {
        // The plain answer without usage, and the abandoned stream that never reached its usage chunk.
        assertEquals(2, value("proxy_litellm_tokens_unknown_total", "route", "chat/completions"));
        assertNull(metrics.value("proxy_litellm_tokens_unknown_total", "route", "models"));
    }

    @Test
    void durationsAndUpstreamFirstBytesAreHistogramsByRoute()
    {
        assertEquals(5, value("proxy_litellm_request_duration_seconds_count", "route", "chat/completions"));
        assertEquals(1, value("proxy_litellm_request_duration_seconds_count", "route", "embeddings"));
        assertEquals(1, value("proxy_litellm_request_duration_seconds_count", "route", "models"));
        assertEquals(5, value("proxy_litellm_request_duration_seconds_bucket", "route", "chat/completions", "le", "+Inf"));
        // The reset call never got upstream headers; the refused one never went upstream.
        assertEquals(4, value("proxy_litellm_upstream_ttfb_seconds_count", "route", "chat/completions"));
        assertNull(metrics.value("proxy_litellm_upstream_ttfb_seconds_count", "route", "models"));
        assertTrue(value("proxy_litellm_request_duration_seconds_sum", "route", "chat/completions") > 0);
    }

    @Test
    void eachStreamsFirstByteIsTimedStageByStageInOrder()
    {
        String stages = "proxy_litellm_stream_first_byte_stage_seconds";
        // The whole stream and the abandoned one; plain calls are not timed.
        assertEquals(2, value(stages + "_count", "stage", "upstream_sent"));
        assertTrue(value(stages + "_sum", "stage", "upstream_sent") >= value(stages + "_sum", "stage", "request_read"));
        // The client reports a request sent once its write completed, which may be after upstream's answer began.
        double previous = 0;
        for (String stage : List.of("request_read", "upstream_headers", "upstream_first_content", "client_first_write", "client_flushed"))
        {
            assertEquals(2, value(stages + "_count", "stage", stage), stage);
            double sum = value(stages + "_sum", "stage", stage);
            assertTrue(sum >= previous, () -> stage + " came before the stage ahead of it:\n" + metrics.text());
            previous = sum;
        }
        assertTrue(previous > 0);
    }

    @Test
    void bodyBytesAreCountedByRoute()
    {
        assertEquals(EMBEDDING_BODY.length(), value("proxy_litellm_request_bytes_total", "route", "embeddings"));
        assertEquals(EMBEDDING_RESPONSE.length(), value("proxy_litellm_response_bytes_total", "route", "embeddings"));
        assertEquals(2 * CHAT_BODY.length() + STREAM_BODY.length() + NO_USAGE_BODY.length() + 2,
            value("proxy_litellm_request_bytes_total", "route", "chat/completions"));
    }

    @Test
    void upstreamErrorsAreCountedByKind()
    {
        assertEquals(1, value("proxy_litellm_upstream_errors_total", "kind", "reset"));
        assertNull(metrics.value("proxy_litellm_upstream_errors_total", "kind", "connect"));
    }

    @Test
    void theJvmAndTheUpstreamPoolArePublished()
    {
        assertTrue(metrics.has("jvm_memory_used_bytes"), metrics.text());
        assertTrue(metrics.has("jvm_threads_current"), metrics.text());
        assertTrue(value("proxy_litellm_upstream_connections", "state", "idle") >= 1, metrics.text());
        assertEquals(0, value("proxy_litellm_upstream_connections", "state", "active"));
        assertEquals(0, value("proxy_litellm_upstream_queued_requests"));
        assertTrue(value("proxy_litellm_upstream_client_threads", "state", "idle") > 0);
    }

    @Test
    void everyRequestHasOneJsonAccessLineWithItsFields()
    {
        assertEquals(7, accessLines.size(), accessLines::toString);
        JsonNode plain = line("POST", "/v1/chat/completions", "ok", 33);
        assertEquals(client, field(plain, "client"));
        assertEquals("chat/completions", field(plain, "route"));
        assertEquals("200", field(plain, "status"));
        assertEquals("200", field(plain, "upstream_status"));
        assertEquals("gpt-4o", field(plain, "model"));
        assertEquals("11", field(plain, "prompt_tokens"));
        assertEquals("22", field(plain, "completion_tokens"));
        assertEquals(String.valueOf(CHAT_BODY.length()), field(plain, "bytes_in"));
        assertEquals(String.valueOf(CHAT_RESPONSE.length()), field(plain, "bytes_out"));
        assertEquals("false", field(plain, "stream"));
        assertTrue(Long.parseLong(field(plain, "ttfb_ms")) >= 0);
        assertTrue(Long.parseLong(field(plain, "duration_ms")) >= Long.parseLong(field(plain, "ttfb_ms")));
        assertTrue(plain.path("@timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*"), plain::toString);
        assertEquals("INFO", plain.path("level").asText());
        // Typed, flat fields, as log shippers index them.
        for (String number : List.of("status", "upstream_status", "ttfb_ms", "duration_ms", "bytes_in", "bytes_out", "prompt_tokens",
            "completion_tokens", "total_tokens"))
            assertTrue(plain.get(number).isIntegralNumber(), number + " in " + plain);
        assertTrue(plain.get("stream").isBoolean(), plain::toString);
    }

    @Test
    void aStreamsLineCarriesItsEventCountAndUsage()
    {
        JsonNode stream = line("POST", "/v1/chat/completions", "ok", 12);
        assertEquals("true", field(stream, "stream"));
        assertEquals("4", field(stream, "events"));
        assertEquals("5", field(stream, "prompt_tokens"));
        assertEquals("7", field(stream, "completion_tokens"));
        assertEquals("stream-id-42", field(stream, "request_id"));
    }

    @Test
    void anAbandonedStreamIsLoggedAsAClientAbort()
    {
        JsonNode abandoned = line("POST", "/v1/chat/completions", "client_abort", -1);
        assertEquals("true", field(abandoned, "stream"));
        assertEquals("200", field(abandoned, "upstream_status"));
        assertTrue(Integer.parseInt(field(abandoned, "events")) >= 1);
    }

    @Test
    void refusedAndFailedRequestsAreLoggedToo()
    {
        JsonNode refused = line("GET", "/v1/models", "rejected", -1);
        assertEquals("401", field(refused, "status"));
        assertEquals("-", field(refused, "client"));
        JsonNode failed = line("POST", "/v1/chat/completions", "upstream_error", -1);
        assertEquals("502", field(failed, "status"));
        assertEquals("-", field(failed, "model"));
    }

    @Test
    void theClientsRequestIdIsKeptAndReturned()
    {
        assertEquals("stream-id-42", streamRequestId);
    }

    @Test
    void everyLineIdIsUniqueAndTheMdcCarriesIt()
    {
        List<String> ids = accessLines.stream().map(line -> field(line, "request_id")).toList();
        assertEquals(ids.size(), ids.stream().distinct().count(), ids::toString);
    }

    private static JsonNode line(String method, String path, String outcome, long totalTokens)
    {
        return accessLines.stream()
            .filter(line -> field(line, "method").equals(method) && field(line, "path").equals(path) && field(line, "outcome").equals(outcome))
            .filter(line -> totalTokens < 0 || field(line, "total_tokens").equals(String.valueOf(totalTokens)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no access line for " + method + " " + path + " " + outcome + " in " + accessLines));
    }

    /** A top-level field of the line, as text. */
    private static String field(JsonNode line, String key)
    {
        JsonNode value = line.get(key);
        if (value == null)
            throw new AssertionError("no " + key + " in " + line);
        return value.asText();
    }
}
