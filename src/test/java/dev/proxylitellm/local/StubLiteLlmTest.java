package dev.proxylitellm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.config.ConfigSource;
import dev.proxylitellm.support.EmbeddedProxy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's calls, through the proxy to the built-in stub, as the local run serves them. */
class StubLiteLlmTest
{
    static StubLiteLlm stub;
    static EmbeddedProxy proxy;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception
    {
        stub = StubLiteLlm.start();
        proxy = new EmbeddedProxy(List.of(ConfigSource.ofMap("stub", Map.of("LITELLM_BASE_URL", stub.baseUrl().toString(),
            "DS_APP_ID", "local-stub", "DS_KEY", "stub-ds-key", "LITELLM_API_KEY", "stub-litellm-key", "LOG_FILE", ""))),
            "127.0.0.1", 0, "", true);
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        stub.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception
    {
        return client.send(HttpRequest.newBuilder(proxy.uri(path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsItsModel() throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"id\":\"stub-model\""), response.body());
    }

    @Test
    void answersAChatCompletionWithUsage() throws Exception
    {
        HttpResponse<String> response = post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"object\":\"chat.completion\""), response.body());
        assertTrue(response.body().contains("\"model\":\"gpt-4o\""), response.body());
        assertTrue(response.body().contains("\"total_tokens\":11"), response.body());
    }

    @Test
    void streamsAChatCompletionWithAFinalUsageChunk() throws Exception
    {
        HttpResponse<String> response = post("/v1/chat/completions",
            "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}");

        assertEquals("no", response.headers().firstValue("X-Accel-Buffering").orElseThrow());
        assertTrue(response.body().contains("\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"}"), response.body());
        assertTrue(response.body().contains("\"choices\":[],\"usage\""), response.body());
        assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
    }

    @Test
    void answersLegacyCompletionsStreamedAndNot() throws Exception
    {
        assertTrue(post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}").body().contains("\"object\":\"text_completion\""));
        assertTrue(post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\",\"stream\":true}").body().endsWith("data: [DONE]\n\n"));
    }

    @Test
    void unknownEndpointsAreAnOpenAiStyle404() throws Exception
    {
        HttpResponse<String> response = post("/v1/embeddings", "{}");

        assertEquals(404, response.statusCode());
        assertTrue(response.body().startsWith("{\"error\":{"), response.body());
    }
}
