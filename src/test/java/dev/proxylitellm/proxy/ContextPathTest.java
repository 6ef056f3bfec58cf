package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployed under a context path such as /llm, the webapp behaves as it does at the root. */
class ContextPathTest
{
    @TempDir
    static Path logs;
    static FakeUpstream upstream;
    static EmbeddedProxy proxy;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start()
    {
        upstream = FakeUpstream.start();
        proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log")), "/llm");
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

    private HttpResponse<String> get(String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(proxy.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void proxiesUnderTheContextPathToTheSameUpstreamPath() throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions?x=1"))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("/v1/chat/completions?x=1&app_id=" + TestConfig.APP_ID, upstream.takeRequest().target());
    }

    @Test
    void rootSaysTheProxyRunsAndNamesItsApiPath() throws Exception
    {
        HttpResponse<String> response = get("/");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        assertEquals("{\"message\":\"proxy-litellm is running\",\"api\":\"/llm/v1\"}", response.body());
    }

    @Test
    void healthzAnswersWithoutCallingUpstream() throws Exception
    {
        HttpResponse<String> response = get("/healthz");

        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"ok\"}", response.body());
        assertTrue(upstream.drainRequests().isEmpty());
    }

    @Test
    void pathsOutsideV1AreAJsonNotFoundAndNeverProxied() throws Exception
    {
        HttpResponse<String> response = get("/v2/models");

        assertEquals(404, response.statusCode());
        assertTrue(response.body().contains("\"code\":\"not_found\""), response.body());
        assertTrue(upstream.drainRequests().isEmpty());
    }

    @Test
    void pathsThatOnlyStartLikeV1AreNotProxied() throws Exception
    {
        HttpResponse<String> response = get("/v1beta/models");

        assertEquals(404, response.statusCode());
        assertTrue(upstream.drainRequests().isEmpty());
    }
}
