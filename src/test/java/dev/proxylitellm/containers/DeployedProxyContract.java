package dev.proxylitellm.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.DeadUpstreams;
import dev.proxylitellm.support.DepartingClient;
import dev.proxylitellm.support.FakeRealtimeUpstream;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.WebSocketClient;
import dev.proxylitellm.support.HandshakeStream;
import dev.proxylitellm.support.FakeUpstream.RecordedRequest;
import dev.proxylitellm.support.Scripts;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the built WAR must do in every real container, at the root and under {@code /llm}.
 * Configuration arrives the way operators set it: DS_KEY as an environment variable, DS_APP_ID
 * both as environment variable and (winning) as system property, and each context's base URL,
 * LITELLM_API_KEY and log settings as parameters in the container's own context file. The
 * deployment {@code /broken} lacks its key and must fail to deploy; the others serve the
 * failure-path contract ({@link FailurePathContract}): dead upstreams, a concurrency limit, and
 * each log mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeployedProxyContract implements FailurePathContract, LargeBodiesContract
{
    static final String DS_KEY = "it-ds-secret-4f1c";
    static final String APP_ID = "app-from-system-property";
    static final String ROOT_KEY = "it-root-litellm-key";
    static final String LLM_KEY = "it-llm-litellm-key";

    final FakeUpstream upstream = FakeUpstream.start();
    final DeadUpstreams.Blackhole blackhole = blackhole();
    final DeadUpstreams.Resetting resetting = resetting();
    final FakeRealtimeUpstream realtimeUpstream = FakeRealtimeUpstream.start();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    ServletContainer container;

    @Override
    public ServletContainer container()
    {
        return container;
    }

    @Override
    public FakeUpstream upstream()
    {
        return upstream;
    }

    /** The container under test, not yet started. */
    abstract ServletContainer newContainer() throws Exception;

    void startContainer() throws Exception
    {
        container = newContainer();
        String live = upstream.baseUrl().toString();
        List<Deployment> deployments = List.of(
            deployment("", live, ROOT_KEY, "proxy.log"),
            deployment("/llm", live, LLM_KEY, "proxy.log"),
            new Deployment("/broken", Map.of("LITELLM_BASE_URL", live)),
            deployment(REFUSED, DeadUpstreams.refused().toString(), LLM_KEY, FAULTS_LOG),
            deployment(UNRESOLVABLE, DeadUpstreams.unresolvable().toString(), LLM_KEY, FAULTS_LOG),
            deployment(CONNECT_TIMEOUT, blackhole.baseUrl().toString(), LLM_KEY, FAULTS_LOG, "UPSTREAM_CONNECT_TIMEOUT_MS", "500"),
            deployment(RESET, resetting.baseUrl().toString(), LLM_KEY, FAULTS_LOG),
            deployment(LIMITED, live, LLM_KEY, "limited.log", "MAX_CONCURRENT_REQUESTS", "2", "MAX_HEADER_BYTES", "2048",
                "MAX_REQUEST_TARGET_BYTES", "512"),
            deployment(JSON, live, LLM_KEY, "json.log", "LOG_FORMAT", "json"),
            deployment(DEBUG, live, LLM_KEY, "debug.log", "LOG_LEVEL", "DEBUG"),
            deployment(DEBUG_JSON, live, LLM_KEY, "debug-json.log", "LOG_LEVEL", "DEBUG", "LOG_FORMAT", "json"),
            deployment(REALTIME, realtimeUpstream.baseUrl().toString(), LLM_KEY, "realtime.log"));
        container.start(deployments,
            Map.of("DS_KEY", DS_KEY, "DS_APP_ID", "app-from-environment"),
            Map.of("DS_APP_ID", APP_ID),
            deployments.stream().map(Deployment::contextPath).filter(path -> !path.equals("/broken")).toList());
    }

    private static Deployment deployment(String contextPath, String baseUrl, String key, String logFile, String... more)
    {
        Map<String, String> parameters = new java.util.HashMap<>(Map.of("LITELLM_BASE_URL", baseUrl, "LITELLM_API_KEY", key, "LOG_FILE", logFile));
        for (int i = 0; i < more.length; i += 2)
            parameters.put(more[i], more[i + 1]);
        return new Deployment(contextPath, parameters);
    }

    private static DeadUpstreams.Blackhole blackhole()
    {
        try
        {
            return new DeadUpstreams.Blackhole();
        }
        catch (java.io.IOException x)
        {
            throw new java.io.UncheckedIOException(x);
        }
    }

    private static DeadUpstreams.Resetting resetting()
    {
        try
        {
            return new DeadUpstreams.Resetting();
        }
        catch (java.io.IOException x)
        {
            throw new java.io.UncheckedIOException(x);
        }
    }

    @AfterAll
    void stop() throws Exception
    {
        try (upstream; blackhole; resetting; realtimeUpstream)
        {
            if (container != null)
                container.close();
        }
    }

    @BeforeEach
    void reset()
    {
        upstream.drainRequests();
        upstream.script(Scripts.json(200, "{\"ok\":true}"));
    }

    private static String keyFor(String contextPath)
    {
        return contextPath.isEmpty() ? ROOT_KEY : LLM_KEY;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/llm"})
    void forwardsWithTheConfiguredCredentialsAndAppId(String contextPath) throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(container.uri(contextPath, "/v1/models?limit=2&app_id=evil"))
            .header("Authorization", "Bearer client-key").build(), HttpResponse.BodyHandlers.ofString());

        RecordedRequest request = upstream.takeRequest();
        assertEquals(200, response.statusCode());
        assertEquals("{\"ok\":true}", response.body());
        assertEquals("/v1/models?limit=2&app_id=" + APP_ID, request.target());
        assertEquals(DS_KEY, request.header("Authorization"));
        assertEquals("Bearer " + keyFor(contextPath), request.header("X-LiteLLM-Key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/llm"})
    void relaysEachEventBeforeUpstreamSendsTheNext(String contextPath) throws Exception
    {
        HandshakeStream stream = new HandshakeStream(4);
        upstream.script(stream.script());

        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(container.uri(contextPath, "/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).header("Content-Type", "application/json").build(),
            HttpResponse.BodyHandlers.ofInputStream());

        assertEquals(4, stream.read(response.body()));
        assertTrue(stream.done(), "the stream did not end with [DONE]");
        assertEquals("no", response.headers().firstValue("X-Accel-Buffering").orElse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/llm"})
    void clientDisconnectAbortsTheUpstreamRequest(String contextPath) throws Exception
    {
        CountDownLatch firstEventSent = new CountDownLatch(1);
        upstream.script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "text/event-stream");
            for (int i = 0; i < 400; i++)
            {
                exchange.write(Scripts.chunkEvent(i, "x"));
                firstEventSent.countDown();
                Thread.sleep(50);
            }
        });
        upstream.awaitScriptFailure(Duration.ZERO);

        long closedAt = DepartingClient.leaveAfterFirstBytes(container.port(), contextPath + "/v1/chat/completions", firstEventSent);

        Throwable failure = upstream.awaitScriptFailure(Duration.ofSeconds(10));
        long abortedAfterMs = (System.nanoTime() - closedAt) / 1_000_000;
        assertNotNull(failure, "upstream kept streaming to a client that left");
        System.out.println(getClass().getSimpleName() + contextPath + ": upstream aborted " + abortedAfterMs + " ms after the client left");
        assertTrue(abortedAfterMs < 2000, "upstream aborted only " + abortedAfterMs + " ms after the client left");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/llm"})
    void upstreamFailureIsA502InTheOpenAiErrorShape(String contextPath) throws Exception
    {
        upstream.script((request, exchange) -> exchange.reset());

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(container.uri(contextPath, "/v1/embeddings"))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(502, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(response.body().matches("\\{\"error\":\\{\"message\":\"[^\"]+\",\"type\":\"upstream_error\",\"param\":null,\"code\":\"upstream_error\"}}"),
            response.body());
    }

    @Test
    void logsEachRequestToTheConsoleAndToLogFile() throws Exception
    {
        client.send(HttpRequest.newBuilder(container.uri("/llm", "/v1/models/logged-model")).build(), HttpResponse.BodyHandlers.ofString());

        String line = "GET /llm/v1/models/logged-model 200 route=models client=- upstream=200";
        awaitLogged(container.logFile("proxy.log"), line);
        awaitLogged(container.consoleFile(), line);
        assertTrue(!java.nio.file.Files.readString(container.logFile("proxy.log")).contains(DS_KEY), "a secret was logged");
    }

    @Test
    void eachDeploymentCountsItsOwnTokensOnItsMetricsPage() throws Exception
    {
        upstream.script(Scripts.json(200, "{\"model\":\"it-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6,\"total_tokens\":10}}"));

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(container.uri("/llm", "/v1/chat/completions"))
            .header("X-Request-Id", "it-request-1").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("it-request-1", response.headers().firstValue("X-Request-Id").orElse(null));
        assertEquals("it-request-1", upstream.takeRequest().header("X-Request-Id"));

        String sample = "proxy_litellm_tokens_total{client=\"anonymous\",model=\"it-model\",type=\"total\"} 10.0";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String page = "";
        while (!page.contains(sample) && System.nanoTime() < deadline)
        {
            page = client.send(HttpRequest.newBuilder(container.uri("/llm", "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(50);
        }
        assertTrue(page.contains(sample), page);
        assertTrue(page.contains("jvm_memory_used_bytes"), page);
        String root = client.send(HttpRequest.newBuilder(container.uri("", "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(root.contains("proxy_litellm_requests_in_flight") && !root.contains("it-model"), root);
    }

    @Test
    void leavesTheContainersOwnLoggingWorking() throws Exception
    {
        // The container kept logging its own messages after the WAR's logback configured itself.
        String console = container.console();
        int proxyStarted = console.indexOf("proxy-litellm forwarding");
        assertTrue(proxyStarted >= 0, console);
        assertTrue(console.indexOf(containerStartedMessage(), proxyStarted) > proxyStarted,
            "no container log line after the proxy configured its logging:\n" + console);
    }

    /** A message the container logs after deploying its webapps. */
    abstract String containerStartedMessage();

    private static void awaitLogged(java.nio.file.Path file, String text) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            if (java.nio.file.Files.exists(file) && java.nio.file.Files.readString(file, StandardCharsets.ISO_8859_1).contains(text))
                return;
            Thread.sleep(50);
        }
        throw new AssertionError("'" + text + "' was not logged to " + file);
    }

    /** True where the WAR can break a response under way; GlassFish cannot. */
    @Override
    public boolean breaksCutResponses()
    {
        return true;
    }

    /** Whether this server can upgrade a servlet request to WebSocket (all of them here, Tomcat 9 through its own method). */
    boolean upgradesWebSockets()
    {
        return true;
    }

    @Test
    void relaysARealtimeSessionBothWaysWithItsCredentials() throws Exception
    {
        java.net.URI uri = java.net.URI.create(container.uri(REALTIME, "/v1/realtime?model=m").toString().replaceFirst("^http", "ws"));
        if (!upgradesWebSockets())
        {
            java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> WebSocketClient.connect(uri, Map.of()));
            HttpResponse<?> answer = ((java.net.http.WebSocketHandshakeException)refused.getCause()).getResponse();
            assertEquals(501, answer.statusCode());
            assertTrue(String.valueOf(answer.body()).contains("websocket_unavailable"), String.valueOf(answer.body()));
            return;
        }

        WebSocketClient socket = WebSocketClient.connect(uri, Map.of("OpenAI-Beta", "realtime=v1"), "realtime");

        FakeRealtimeUpstream.Handshake handshake = realtimeUpstream.takeHandshake();
        assertEquals("model=m&app_id=" + APP_ID, handshake.query());
        assertEquals(DS_KEY, handshake.header("Authorization"));
        assertEquals("Bearer " + LLM_KEY, handshake.header("X-LiteLLM-Key"));
        assertEquals("realtime", socket.socket().getSubprotocol());
        socket.sendText("{\"type\":\"session.update\"}");
        assertEquals("{\"type\":\"session.update\"}", socket.next());
        byte[] audio = new byte[64 * 1024];
        new java.util.Random(3).nextBytes(audio);
        socket.sendBinary(audio);
        org.junit.jupiter.api.Assertions.assertArrayEquals(audio, (byte[])socket.next());
        socket.socket().sendClose(4002, "done here").get(10, TimeUnit.SECONDS);
        jakarta.websocket.CloseReason seen = realtimeUpstream.awaitClose(10);
        assertNotNull(seen, "upstream saw no close");
        assertEquals(4002, seen.getCloseCode().getCode());
    }

    @Test
    void noLogTheServerWritesHoldsACredential() throws Exception
    {
        upstream.script(Scripts.json(200, "{\"ok\":true}"));
        for (String context : List.of("", "/llm", JSON, DEBUG, DEBUG_JSON, RESET, LIMITED))
        {
            client.send(HttpRequest.newBuilder(container.uri(context, "/v1/chat/completions"))
                .header("Authorization", "Bearer " + DS_KEY).header("X-LiteLLM-Key", "Bearer " + LLM_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        }
        awaitLogged(container.logFile("debug.log"), "POST /debug/v1/chat/completions 200");

        List<java.nio.file.Path> logs;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(container.base()))
        {
            logs = files.filter(java.nio.file.Files::isRegularFile)
                .filter(file -> file.toString().matches(".*\\.(log|txt|out)(\\.\\d+)?$"))
                .filter(file -> !file.toString().contains("/deployments/") && !file.toString().contains("/apps/")).toList();
        }
        assertTrue(logs.size() >= 4, "found too few logs: " + logs);
        for (java.nio.file.Path log : logs)
        {
            String text = java.nio.file.Files.readString(log, StandardCharsets.ISO_8859_1);
            for (String secret : List.of(DS_KEY, ROOT_KEY, LLM_KEY))
                assertTrue(!text.contains(secret), "a credential is in " + log);
        }
        System.out.println(getClass().getSimpleName() + ": no credential in " + logs.size() + " log files");
    }

    @Test
    void aDeploymentMissingAKeyFailsAndSaysWhich() throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(container.uri("/broken", "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertNotEquals(200, response.statusCode(), "the misconfigured webapp is serving");
        String console = container.console();
        assertTrue(console.contains("LITELLM_API_KEY is missing"), "no error naming the key in:\n" + console);
        assertTrue(!console.contains(DS_KEY), "a secret was printed");
    }
}
