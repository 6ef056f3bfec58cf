package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.RawHttp;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A full traffic mix at every log level, Jetty's own DEBUG output included: no configured secret,
 * no client credential, no prompt and no completion appears in any logged or returned byte.
 */
class SecretsInLogsTest
{
    private static final String PROMPT = "PROMPT-CANARY-31337";
    private static final String COMPLETION = "COMPLETION-CANARY-4242";

    @TempDir
    Path logs;

    @ParameterizedTest
    @CsvSource({"TRACE, text", "DEBUG, text", "INFO, text", "TRACE, json", "DEBUG, json", "INFO, json"})
    void noSecretOrBodyIsLoggedOrReturned(String level, String format) throws Exception
    {
        Path logFile = logs.resolve("proxy.log");
        ByteArrayOutputStream returned = new ByteArrayOutputStream();
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Map<String, String> config = TestConfig.against(upstream, logFile);
            config.put("LOG_LEVEL", level);
            config.put("LOG_FORMAT", format);
            config.put("PROXY_API_KEYS", "pk-other-client-0c9e, " + TestConfig.CLIENT_KEY);
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                runTrafficMix(upstream, proxy, returned);
            }
        }

        String logged = Files.readString(logFile, StandardCharsets.ISO_8859_1);
        String answered = returned.toString(StandardCharsets.ISO_8859_1);
        for (String secret : List.of(TestConfig.DS_KEY, TestConfig.LITELLM_API_KEY, TestConfig.CLIENT_KEY, "pk-other-client-0c9e"))
        {
            assertEquals(-1, logged.indexOf(secret), "secret in the log at " + level);
            assertEquals(-1, answered.indexOf(secret), "secret in a response at " + level);
        }
        assertFalse(logged.contains(PROMPT), "a prompt was logged at " + level);
        assertFalse(logged.contains(COMPLETION), "a completion was logged at " + level);
        assertTrue(logged.contains("POST /v1/chat/completions 200 route=chat/completions client=sha256:"), "no access log line at " + level);
        if (format.equals("json"))
            assertEveryLineIsJson(logFile);
        assertTrue(logged.contains("GET /v1/models 401"), "the wrong key was not refused at " + level);
        if (!level.equals("INFO"))
            assertTrue(logged.contains("[REDACTED]"), "Jetty's header dumps were not logged at " + level + ", so this test proved nothing");
    }

    /** Every line parses, whatever redaction did to it (a redaction applied to encoded text once broke the escaping). */
    private static void assertEveryLineIsJson(Path logFile) throws Exception
    {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        for (String line : lines)
        {
            try
            {
                assertTrue(json.readTree(line).isObject(), line);
            }
            catch (com.fasterxml.jackson.core.JsonProcessingException x)
            {
                throw new AssertionError("not JSON: " + line, x);
            }
        }
        assertTrue(lines.size() > 3, "hardly anything was logged");
    }

    private static void runTrafficMix(FakeUpstream upstream, EmbeddedProxy proxy, ByteArrayOutputStream returned) throws Exception
    {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String chat = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";

        upstream.script(Scripts.json(200, "{\"choices\":[{\"message\":{\"content\":\"" + COMPLETION + "\"}}]}"));
        record(returned, client.send(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
            .header("Authorization", "Bearer " + TestConfig.CLIENT_KEY).header("x-api-key", TestConfig.CLIENT_KEY)
            .POST(HttpRequest.BodyPublishers.ofString(chat)).build(), HttpResponse.BodyHandlers.ofByteArray()));

        upstream.script(Scripts.sse(List.of(Scripts.chunkEvent(0, COMPLETION), "data: [DONE]\n\n"), 10));
        record(returned, client.send(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
            .header("X-Api-Key", TestConfig.CLIENT_KEY).header("api-key", TestConfig.CLIENT_KEY).header("X-LiteLLM-Key", "Bearer " + TestConfig.CLIENT_KEY)
            .POST(HttpRequest.BodyPublishers.ofString(chat)).build(), HttpResponse.BodyHandlers.ofByteArray()));

        upstream.script(Scripts.json(401, "{\"error\":{\"message\":\"bad key\",\"type\":\"auth\",\"param\":null,\"code\":\"401\"}}"));
        record(returned, client.send(HttpRequest.newBuilder(proxy.uri("/v1/models"))
            .header("Authorization", "Bearer " + TestConfig.CLIENT_KEY).build(), HttpResponse.BodyHandlers.ofByteArray()));
        record(returned, client.send(HttpRequest.newBuilder(proxy.uri("/v1/models"))
            .header("Authorization", "Bearer pk-wrong-" + TestConfig.CLIENT_KEY).build(), HttpResponse.BodyHandlers.ofByteArray()));

        upstream.script((request, exchange) -> exchange.reset());
        record(returned, client.send(HttpRequest.newBuilder(proxy.uri("/v1/embeddings")).header("X-Api-Key", "pk-other-client-0c9e")
            .POST(HttpRequest.BodyPublishers.ofString(chat)).build(), HttpResponse.BodyHandlers.ofByteArray()));

        RawHttp.RawResponse rejected = RawHttp.send(proxy.port(), "GET /v1/%2e%2e/x HTTP/1.1\r\nHost: localhost\r\n"
            + "Authorization: Bearer " + TestConfig.CLIENT_KEY + "\r\nConnection: close\r\n\r\n");
        returned.write(rejected.raw().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void record(ByteArrayOutputStream returned, HttpResponse<byte[]> response)
    {
        returned.writeBytes(response.headers().map().toString().getBytes(StandardCharsets.ISO_8859_1));
        returned.writeBytes(response.body());
    }
}
