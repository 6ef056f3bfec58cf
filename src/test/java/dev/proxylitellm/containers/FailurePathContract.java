package dev.proxylitellm.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxylitellm.support.BackToBack;
import dev.proxylitellm.support.DeadUpstreams.Fault;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.MetricsPage;
import dev.proxylitellm.support.RawHttp;
import dev.proxylitellm.support.RequestShapes;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TrafficMix;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the built WAR fails, black-box in a real container: upstreams that cannot answer, a
 * stream cut by upstream, a concurrency limit under back-to-back calls, bad input, and every log
 * mode under load. The deployments it uses are set up by {@link DeployedProxyContract}.
 */
interface FailurePathContract
{
    String REFUSED = "/refused";
    String UNRESOLVABLE = "/unresolvable";
    String CONNECT_TIMEOUT = "/timeout";
    String RESET = "/reset";
    String LIMITED = "/limited";
    String JSON = "/json";
    String DEBUG = "/debug";
    String DEBUG_JSON = "/debugjson";
    String REALTIME = "/realtime";
    String FAULTS_LOG = "faults.log";

    ServletContainer container();

    FakeUpstream upstream();

    private static String contextOf(Fault fault)
    {
        return switch (fault)
        {
            case REFUSED -> REFUSED;
            case UNRESOLVABLE -> UNRESOLVABLE;
            case CONNECT_TIMEOUT -> CONNECT_TIMEOUT;
            case RESET_BEFORE_HEADERS -> RESET;
        };
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    default void everyRequestShapeToADeadUpstreamGetsThe502(Fault fault) throws Exception
    {
        String context = contextOf(fault);
        String code = fault == Fault.RESET_BEFORE_HEADERS ? "upstream_error" : "upstream_unreachable";
        MetricsPage before = metrics(context);
        List<String> wrong = new ArrayList<>();
        for (RequestShapes.Shape shape : RequestShapes.all())
        {
            RawHttp.RawResponse response = RawHttp.send(container().port(), shape.request(context + "/v1/chat/completions"));
            boolean json = String.valueOf(response.header("Content-Type")).startsWith("application/json");
            boolean body = shape.method().equals("HEAD")
                || response.bodyText().startsWith("{\"error\":{") && response.bodyText().contains("\"code\":\"" + code + "\"");
            if (response.status() != 502 || !json || !body)
                wrong.add(shape + " -> " + response.status() + " " + response.bodyText());
        }
        assertTrue(wrong.isEmpty(), fault + ": " + wrong);

        String kind = fault == Fault.RESET_BEFORE_HEADERS ? "reset" : "connect";
        MetricsPage after = awaitMetrics(context, page -> errors(page, kind) - errors(before, kind) >= 21);
        assertEquals(21, errors(after, kind) - errors(before, kind), after.text());
        long logged = awaitLines(container().logFile(FAULTS_LOG), context + "/v1/chat/completions 502 ", "outcome=upstream_error", 21);
        assertEquals(21, logged);
    }

    private static double errors(MetricsPage page, String kind)
    {
        Double value = page.value("proxy_litellm_upstream_errors_total", "kind", kind);
        return value == null ? 0 : value;
    }

    @Test
    default void clientsCallingBackToBackAtTheConcurrencyLimitAreNeverRefused() throws Exception
    {
        upstream().script(BackToBack.slowAnswers(20));

        List<Integer> statuses = BackToBack.run(container().uri(LIMITED, "/v1/chat/completions"), 2, 60);

        assertEquals(List.of(200), statuses.stream().distinct().toList(), "statuses: " + statuses);
    }

    @Test
    default void theWarsOwnTargetAndHeaderBoundsHoldInEveryContainer() throws Exception
    {
        upstream().script(Scripts.json(200, "{\"ok\":true}"));
        upstream().drainRequests();

        RawHttp.RawResponse target = RawHttp.send(container().port(), "GET " + LIMITED + "/v1/models?q=" + "b".repeat(600)
            + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        RawHttp.RawResponse headers = RawHttp.send(container().port(), "GET " + LIMITED + "/v1/models HTTP/1.1\r\nHost: localhost\r\n"
            + "X-Big: " + "a".repeat(3000) + "\r\nConnection: close\r\n\r\n");

        assertEquals(414, target.status(), target.raw());
        assertTrue(target.bodyText().contains("\"code\":\"uri_too_long\""), target.raw());
        assertEquals(431, headers.status(), headers.raw());
        assertTrue(headers.bodyText().contains("\"code\":\"request_header_fields_too_large\""), headers.raw());
        assertTrue(upstream().drainRequests().isEmpty(), "a request outside the bounds reached upstream");
    }

    /**
     * A bare CR in a header value must never reach upstream inside a header. Tomcat and Jetty
     * refuse the request (400); Undertow (WildFly) and Open Liberty take the CR for a line break
     * and hand the webapp two ordinary headers, which it cannot tell from two the client sent.
     */
    @Test
    default void aBareCarriageReturnNeverReachesUpstreamInsideAHeader() throws Exception
    {
        upstream().script(Scripts.json(200, "{\"ok\":true}"));
        upstream().drainRequests();

        RawHttp.RawResponse response = RawHttp.send(container().port(), "GET /llm/v1/models HTTP/1.1\r\nHost: localhost\r\n"
            + "X-Note: a\rInjected: yes\r\nConnection: close\r\n\r\n");

        List<FakeUpstream.RecordedRequest> forwarded = upstream().drainRequests();
        System.out.println(getClass().getSimpleName() + ": a bare CR in a header value -> " + response.status()
            + (forwarded.isEmpty() ? ", nothing upstream" : ", upstream got " + forwarded.get(0).headers().stream()
                .filter(field -> field.is("X-Note") || field.is("Injected")).toList()));
        if (response.status() == 400)
        {
            assertTrue(forwarded.isEmpty(), "a refused request reached upstream");
            return;
        }
        assertEquals(200, response.status(), response.raw());
        for (org.eclipse.jetty.http.HttpField field : forwarded.get(0).headers())
            assertTrue(!field.getName().matches(".*[\\r\\n\\x00].*") && !field.getValue().matches("(?s).*[\\r\\n\\x00].*"),
                "upstream got a header with CR, LF or NUL: " + field);
    }

    @Test
    default void aCallRightAfterTwoSlowCallsAtTheLimitIsAdmitted() throws Exception
    {
        upstream().script((request, exchange) ->
        {
            Thread.sleep(request.bodyText().contains("slow") ? 500 : 0);
            Scripts.json(200, "{\"ok\":true}").respond(request, exchange);
        });
        List<Integer> thirds = new ArrayList<>();
        for (int round = 0; round < 5; round++)
        {
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 2; i++)
                slow.add(HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(container().uri(LIMITED, "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"slow\":true}")).build(), HttpResponse.BodyHandlers.ofString()));
            for (CompletableFuture<HttpResponse<String>> call : slow)
                assertEquals(200, call.get(10, TimeUnit.SECONDS).statusCode());
            thirds.add(HttpClient.newHttpClient().send(HttpRequest.newBuilder(container().uri(LIMITED, "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }

        assertEquals(List.of(200, 200, 200, 200, 200), thirds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/llm", JSON, DEBUG, DEBUG_JSON})
    default void everyRequestIsCountedOnceInEveryLogMode(String context) throws Exception
    {
        TrafficMix mix = TrafficMix.run(upstream(), container().uri(context, ""));

        assertEquals(mix.expectedCounts(), mix.counted());
    }

    @ParameterizedTest
    @ValueSource(strings = {DEBUG, DEBUG_JSON})
    default void threeHundredConcurrentStreamsCompleteAtDebug(String context) throws Exception
    {
        int streams = 300;
        int events = 10;
        List<String> script = new ArrayList<>();
        for (int i = 0; i < events; i++)
            script.add(Scripts.chunkEvent(i, "tok"));
        script.add("data: [DONE]\n\n");
        upstream().script(Scripts.sse(script, 100));
        HttpClient many = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < streams; i++)
            responses.add(many.sendAsync(HttpRequest.newBuilder(container().uri(context, "/v1/chat/completions"))
                .header("X-Request-Id", "debug-stream-" + i + "-end").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(), HttpResponse.BodyHandlers.ofString()));
        int complete = 0;
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : responses)
        {
            try
            {
                HttpResponse<String> done = response.get(90, TimeUnit.SECONDS);
                if (done.statusCode() == 200 && done.body().endsWith("data: [DONE]\n\n") && done.body().split("data: \\{", -1).length - 1 == events)
                    complete++;
                else if (failures.size() < 5)
                    failures.add(done.statusCode() + " " + done.body());
            }
            catch (Exception x)
            {
                if (failures.size() < 5)
                    failures.add(x.toString());
            }
        }
        assertEquals(streams, complete, "failed streams, first few: " + failures);

        Path log = container().logFile(context.equals(DEBUG) ? "debug.log" : "debug-json.log");
        awaitLines(log, "debug-stream-7-end", "outcome", 1);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        long story = lines.stream().filter(line -> line.contains("debug-stream-7-end")).count();
        assertTrue(story >= 3 && story <= 15, story + " lines for one request");
        String all = String.join("\n", lines);
        assertFalse(all.contains(DeployedProxyContract.DS_KEY) || all.contains(DeployedProxyContract.LLM_KEY), "a secret was logged");
        if (context.equals(DEBUG_JSON))
        {
            ObjectMapper json = new ObjectMapper();
            for (String line : lines)
                assertTrue(json.readTree(line).isObject(), line);
        }
    }

    @Test
    default void aStreamCutByUpstreamEndsBrokenAfterItsErrorEvent() throws Exception
    {
        upstream().script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "text/event-stream");
            exchange.write(Scripts.chunkEvent(0, "partial"));
            exchange.write(Scripts.chunkEvent(1, "answer"));
            exchange.reset();
        });
        String body = "{\"stream\":true}";

        RawHttp.RawResponse response = RawHttp.send(container().port(), "POST /llm/v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

        assertEquals(200, response.status());
        assertTrue(response.bodyText().startsWith(Scripts.chunkEvent(0, "partial") + Scripts.chunkEvent(1, "answer")), response.bodyText());
        assertTrue(response.bodyText().endsWith("\"code\":\"upstream_error\"}}\n\n"), response.bodyText());
        if (breaksCutResponses())
            assertFalse(response.complete(), "the cut stream ended as if complete:\n" + response.raw());
    }

    /** A small body sent chunked (all of it in the first packet, terminating chunk included) reaches upstream whole. */
    @ParameterizedTest
    @ValueSource(strings = {"/llm", DEBUG_JSON})
    default void aSmallChunkedBodyReachesUpstreamWhole(String deployment) throws Exception
    {
        assumeTrue(forwardsSmallChunkedBodies(), "a known limit of this server");
        upstream().drainRequests();
        upstream().script(Scripts.json(200, "{\"ok\":true}"));
        String body = "{\"model\":\"m\",\"messages\":[]}";

        RawHttp.RawResponse response = RawHttp.send(container().port(), "POST " + deployment + "/v1/chat/completions HTTP/1.1\r\n"
            + "Host: localhost\r\nContent-Type: application/json\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");

        assertEquals(200, response.status(), response.raw());
        assertEquals(body, upstream().takeRequest().bodyText());
    }

    /** Headers alone are no answer yet: a stream that upstream cuts before its first event is a 502, which SDKs retry. */
    @ParameterizedTest(name = "{0}: upstream thinks {1} ms, body chunked: {2}")
    @CsvSource({"/llm, 0, false", "/llm, 300, false", "/llm, 0, true", "/llm, 300, true",
        DEBUG_JSON + ", 0, false", DEBUG_JSON + ", 300, false", DEBUG_JSON + ", 0, true", DEBUG_JSON + ", 300, true"})
    default void aStreamCutByUpstreamBeforeItsFirstEventIsA502(String deployment, int thinkMs, boolean chunked) throws Exception
    {
        assumeTrue(!chunked || forwardsSmallChunkedBodies(), "a known limit of this server");
        upstream().script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "text/event-stream");
            exchange.write(new byte[0]);
            Thread.sleep(thinkMs);
            exchange.reset();
        });
        String body = "{\"stream\":true}";
        String framed = chunked
            ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"
            : "Content-Length: " + body.length() + "\r\n\r\n" + body;

        RawHttp.RawResponse response = RawHttp.send(container().port(), "POST " + deployment + "/v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\n" + framed);

        assertEquals(502, response.status(), response.raw());
        assertTrue(response.bodyText().contains("\"code\":\"upstream_error\""), response.raw());
    }

    /**
     * Whether the WAR can break the connection of a response already under way. GlassFish has no
     * way to (no sendError(-1), no close on an exception after commit, no reachable connection): a
     * cut response there ends cleanly (an event stream after its error event).
     */
    boolean breaksCutResponses();

    /**
     * Whether a small chunked request body (all of it, terminating chunk included, in the first
     * packet) reaches upstream whole. Open Liberty 26 does not: the body is never ended upstream
     * and the call hangs until upstream's idle timeout (found 2026-12-02, open; see the README).
     */
    default boolean forwardsSmallChunkedBodies()
    {
        return true;
    }

    /**
     * Whether the container itself drops the connection of a request whose chunked body is
     * malformed, so that no answer can reach the client: Tomcat does (its {@code sendError(400)}
     * on the read error is followed by an immediate close, measured on 10.1 and 11).
     */
    default boolean closesOnMalformedBody()
    {
        return false;
    }

    @Test
    default void aMalformedChunkedBodyIsA400InTheOpenAiShape() throws Exception
    {
        upstream().drainRequests();

        RawHttp.RawResponse response = RawHttp.send(container().port(), "POST /llm/v1/embeddings HTTP/1.1\r\nHost: localhost\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");

        assertTrue(upstream().drainRequests().isEmpty(), "a malformed body was forwarded");
        if (closesOnMalformedBody())
        {
            // Tomcat's own verdict: the connection closes without an answer (its 400 page, were it sent, would do too).
            assertTrue(response.status() == -1 || response.status() == 400, "not refused:\n" + response.raw());
            return;
        }
        assertEquals(400, response.status(), response.raw());
        assertTrue(response.bodyText().contains("\"code\":\"invalid_request_body\""), response.raw());
    }

    @Test
    default void pathParametersAreRefusedAndNeverForwarded() throws Exception
    {
        upstream().drainRequests();

        RawHttp.RawResponse response = RawHttp.send(container().port(), "GET /llm/v1/models;app_id=evil HTTP/1.1\r\nHost: localhost\r\n"
            + "Connection: close\r\n\r\n");

        assertEquals(400, response.status(), response.raw());
        assertTrue(response.bodyText().contains("\"code\":\"invalid_path\""), response.raw());
        assertTrue(upstream().drainRequests().isEmpty(), "a request with path parameters reached upstream");
    }

    @Test
    default void eachEventReachesAClientThatReadsWholeChunksBeforeUpstreamSendsTheNext() throws Exception
    {
        dev.proxylitellm.support.HandshakeStream stream = new dev.proxylitellm.support.HandshakeStream(4);
        upstream().script(stream.script());
        String body = "{\"stream\":true}";

        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", container().port()))
        {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /llm/v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nUser-Agent: python-requests/2.32.3\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));

            assertEquals(4, stream.readWholeChunks(socket.getInputStream()));
        }
        assertTrue(stream.done());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE /llm/v1/models", "GET /llm/v1/../../x", "GET /llm/v1/%2e%2e/x", "FOO /llm/v1/models"})
    default void oddRequestsAreRefusedWithoutAStackTrace(String requestLine) throws Exception
    {
        RawHttp.RawResponse response = RawHttp.send(container().port(), requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        System.out.println(getClass().getSimpleName() + ": " + requestLine + " -> " + response.status() + " "
            + response.header("Content-Type") + " " + response.bodyText().replaceAll("\\s+", " ").substring(0, Math.min(120, response.bodyText().length())));
        assertTrue(response.status() >= 400 && response.status() < 500, response.raw());
        assertFalse(response.bodyText().contains("Exception") || response.bodyText().contains("\tat "), response.raw());
        // Whoever refused a dot segment, an answer in the OpenAI shape names the path (Jetty's own HTML page aside).
        if (requestLine.contains("%2e") && response.bodyText().startsWith("{"))
            assertTrue(response.bodyText().contains("\"code\":\"invalid_path\""), response.raw());
    }

    @ParameterizedTest(name = "{0} pair(s) at a time")
    @ValueSource(ints = {1, 20})
    default void aResetStreamNeverCutsAnotherClientsStream(int atATime) throws Exception
    {
        upstream().script(dev.proxylitellm.support.ResetThenStream.script());

        List<String> cut = dev.proxylitellm.support.ResetThenStream.run(container().port(), "/llm/v1/chat/completions", 200, atATime);

        System.out.println(getClass().getSimpleName() + ": reset-then-stream, " + atATime + " pair(s) at a time: " + (200 - cut.size()) + "/200 whole");
        assertEquals(List.of(), cut);
    }

    private MetricsPage metrics(String context) throws Exception
    {
        return new MetricsPage(HttpClient.newHttpClient().send(HttpRequest.newBuilder(container().uri(context, "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
    }

    private MetricsPage awaitMetrics(String context, java.util.function.Predicate<MetricsPage> done) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        MetricsPage page = metrics(context);
        while (!done.test(page) && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
            page = metrics(context);
        }
        return page;
    }

    /** How many lines of {@code log} contain both texts, once there are {@code expected} of them (or ten seconds passed). */
    private static long awaitLines(Path log, String text, String andText, long expected) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long count = 0;
        do
        {
            if (Files.exists(log))
                count = Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(line -> line.contains(text) && line.contains(andText)).count();
            if (count >= expected)
                return count;
            Thread.sleep(50);
        }
        while (System.nanoTime() < deadline);
        return count;
    }
}
