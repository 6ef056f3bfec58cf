package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.FakeUpstream.RecordedRequest;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.RawHttp;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What upstream receives for a client's request, and what the client gets back. */
class ForwardingTest
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
        proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log")));
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
        upstream.script(Scripts.json(200, "{\"ok\":true}"));
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception
    {
        return client.send(HttpRequest.newBuilder(proxy.uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsPathAndQueryUnderTheBaseUrlWithAppIdAppended() throws Exception
    {
        get("/v1/models?limit=2&order=desc");

        assertEquals("/v1/models?limit=2&order=desc&app_id=" + TestConfig.APP_ID, upstream.takeRequest().target());
    }

    @Test
    void addsAppIdWhenTheClientSentNoQuery() throws Exception
    {
        get("/v1/models");

        assertEquals("/v1/models?app_id=" + TestConfig.APP_ID, upstream.takeRequest().target());
    }

    @Test
    void keepsRawEncodingAndRepeatedQueryKeys() throws Exception
    {
        get("/v1/files/file%20a%3Ab%40c/content?tag=a%2Bb&tag=c+d&q=%E2%9C%93");

        assertEquals("/v1/files/file%20a%3Ab%40c/content?tag=a%2Bb&tag=c+d&q=%E2%9C%93&app_id=" + TestConfig.APP_ID,
            upstream.takeRequest().target());
    }

    @Test
    void replacesEveryAppIdTheClientSent() throws Exception
    {
        get("/v1/models?app_id=evil&x=1&APP_ID=evil&app%5Fid=evil&app_id%5B%5D=evil&app_id=");

        assertEquals("x=1&app_id=" + TestConfig.APP_ID, upstream.takeRequest().query());
    }

    @Test
    void injectsTheOrganisationsCredentials() throws Exception
    {
        get("/v1/models");

        RecordedRequest request = upstream.takeRequest();
        assertEquals(TestConfig.DS_KEY, request.header("Authorization"));
        assertEquals("Bearer " + TestConfig.LITELLM_API_KEY, request.header("X-LiteLLM-Key"));
    }

    @Test
    void dropsEveryCredentialTheClientSent() throws Exception
    {
        client.send(HttpRequest.newBuilder(proxy.uri("/v1/models"))
            .header("Authorization", "Bearer " + TestConfig.CLIENT_KEY)
            .header("X-LiteLLM-Key", TestConfig.CLIENT_KEY)
            .header("x-litellm-api-key", TestConfig.CLIENT_KEY)
            .header("api-key", TestConfig.CLIENT_KEY)
            .header("X-Api-Key", TestConfig.CLIENT_KEY)
            .header("Proxy-Authorization", "Basic " + TestConfig.CLIENT_KEY)
            .build(), HttpResponse.BodyHandlers.ofString());

        RecordedRequest request = upstream.takeRequest();
        assertFalse(request.headers().toString().contains(TestConfig.CLIENT_KEY), request.headers().toString());
        assertEquals(List.of(TestConfig.DS_KEY), request.headers().getValuesList("Authorization"));
        assertEquals(List.of("Bearer " + TestConfig.LITELLM_API_KEY), request.headers().getValuesList("X-LiteLLM-Key"));
        assertNull(request.header("x-litellm-api-key"));
        assertNull(request.header("api-key"));
        assertNull(request.header("x-api-key"));
    }

    @Test
    void passesTheClientsOtherHeaders() throws Exception
    {
        client.send(HttpRequest.newBuilder(proxy.uri("/v1/models"))
            .header("OpenAI-Organization", "org-1")
            .header("OpenAI-Beta", "assistants=v2")
            .header("User-Agent", "OpenAI/Python 1.99.0")
            .header("X-Stainless-Retry-Count", "0")
            .build(), HttpResponse.BodyHandlers.ofString());

        RecordedRequest request = upstream.takeRequest();
        assertEquals("org-1", request.header("OpenAI-Organization"));
        assertEquals("assistants=v2", request.header("OpenAI-Beta"));
        assertEquals("OpenAI/Python 1.99.0", request.header("User-Agent"));
        assertEquals("0", request.header("X-Stainless-Retry-Count"));
    }

    @Test
    void dropsHopByHopRequestHeadersIncludingThoseNamedInConnection() throws Exception
    {
        RawHttp.send(proxy.port(), "GET /v1/models HTTP/1.1\r\nHost: localhost\r\n"
            + "Connection: close, X-Hop-Secret\r\nX-Hop-Secret: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
            + "X-Kept: yes\r\n\r\n");

        RecordedRequest request = upstream.takeRequest();
        assertNull(request.header("X-Hop-Secret"));
        assertNull(request.header("Keep-Alive"));
        assertNull(request.header("TE"));
        assertEquals("yes", request.header("X-Kept"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void forwardsMethodsWithBodies(String method) throws Exception
    {
        upstream.script(Scripts.echo());
        String body = "{\"model\":\"gpt-4o\",\"input\":\"" + method + "\"}";

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/things/1"))
            .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
            HttpResponse.BodyHandlers.ofString());

        RecordedRequest request = upstream.takeRequest();
        assertEquals(method, request.method());
        assertEquals(body, request.bodyText());
        assertEquals(200, response.statusCode());
        assertEquals(body, response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "DELETE", "OPTIONS"})
    void forwardsMethodsWithoutBodies(String method) throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/things/1"))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(method, upstream.takeRequest().method());
        assertEquals("{\"ok\":true}", response.body());
    }

    @Test
    void forwardsHeadAndReturnsNoBody() throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/models"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals("HEAD", upstream.takeRequest().method());
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void returnsStatusHeadersAndBodyUnchanged() throws Exception
    {
        upstream.script((request, exchange) ->
        {
            exchange.status(201).header("Content-Type", "application/json").header("x-request-id", "req_123")
                .header("Set-Cookie", "a=1").header("Set-Cookie", "b=2").header("Content-Length", "13");
            exchange.write("{\"id\":\"obj1\"}");
        });

        HttpResponse<String> response = get("/v1/things");

        assertEquals(201, response.statusCode());
        assertEquals("{\"id\":\"obj1\"}", response.body());
        assertEquals("req_123", response.headers().firstValue("x-upstream-request-id").orElseThrow());
        assertEquals(List.of("a=1", "b=2"), response.headers().allValues("set-cookie"));
        assertEquals("13", response.headers().firstValue("content-length").orElseThrow());
    }

    @Test
    void dropsHopByHopResponseHeadersIncludingThoseNamedInConnection() throws Exception
    {
        upstream.script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "application/json").header("Connection", "X-Upstream-Hop")
                .header("X-Upstream-Hop", "secret").header("Keep-Alive", "timeout=5").header("X-Kept", "yes")
                .header("Content-Length", "2");
            exchange.write("{}");
        });

        RawHttp.RawResponse response = RawHttp.send(proxy.port(), "GET /v1/models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertNull(response.header("X-Upstream-Hop"));
        assertNull(response.header("Keep-Alive"));
        assertEquals("yes", response.header("X-Kept"));
    }

    @Test
    void passesGzipBodiesByteForByte() throws Exception
    {
        byte[] gzipped = Scripts.gzip("{\"object\":\"list\",\"data\":[]}".repeat(50));
        upstream.script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .header("Content-Length", String.valueOf(gzipped.length));
            exchange.write(gzipped);
        });

        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/models"))
            .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals("gzip", upstream.takeRequest().header("Accept-Encoding"));
        assertEquals("gzip", response.headers().firstValue("content-encoding").orElseThrow());
        assertArrayEquals(gzipped, response.body());
    }

    @Test
    void streamsLargeBinaryBodiesBothWaysIntact() throws Exception
    {
        byte[] audio = new byte[24 * 1024 * 1024];
        new Random(42).nextBytes(audio);
        upstream.script(Scripts.echo());

        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/audio/speech"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(audio)).header("Content-Type", "audio/mpeg").build(),
            HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(audio.length, upstream.takeRequest().body().length);
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(audio.length), response.headers().firstValue("content-length").orElseThrow());
        assertArrayEquals(audio, response.body());
    }

    @Test
    void streamsChunkedRequestBodiesIntact() throws Exception
    {
        upstream.script(Scripts.echo());
        byte[] body = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/files"))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
            HttpResponse.BodyHandlers.ofByteArray());

        assertArrayEquals(body, upstream.takeRequest().body());
        assertArrayEquals(body, response.body());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 404, 429, 500, 503})
    void passesUpstreamErrorsThroughUntouched(int status) throws Exception
    {
        String body = "{\"error\":{\"message\":\"upstream says " + status + "\",\"type\":\"x\",\"param\":null,\"code\":\"c\"}}";
        upstream.script((request, exchange) ->
        {
            exchange.status(status).header("Content-Type", "application/json").header("Retry-After", "7")
                .header("Content-Length", String.valueOf(body.length()));
            exchange.write(body);
        });

        HttpResponse<String> response = get("/v1/chat/completions");

        assertEquals(status, response.statusCode());
        assertEquals(body, response.body());
        assertEquals("7", response.headers().firstValue("retry-after").orElseThrow());
    }

    @Test
    void answersExpectContinueAndForwardsTheBody() throws Exception
    {
        upstream.script(Scripts.echo());

        RawHttp.RawResponse response = RawHttp.send(proxy.port(), "POST /v1/embeddings HTTP/1.1\r\nHost: localhost\r\n"
            + "Connection: close\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n"
            + "{\"input\":1}");

        assertEquals(200, response.status());
        assertEquals("{\"input\":1}", response.bodyText());
        assertEquals("{\"input\":1}", upstream.takeRequest().bodyText());
    }

    @Test
    void doesNotTellUpstreamTheProxysHostNameOrLibrary() throws Exception
    {
        RawHttp.send(proxy.port(), "GET /v1/models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        RecordedRequest request = upstream.takeRequest();
        assertNull(request.header("User-Agent"));
        assertTrue(request.header("Via").endsWith("proxy-litellm"), request.header("Via"));
    }

    @Test
    void tellsUpstreamTheClientsAddressInForwardedByDefault() throws Exception
    {
        RawHttp.send(proxy.port(), "GET /v1/models HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 192.0.2.7\r\nConnection: close\r\n\r\n");

        RecordedRequest request = upstream.takeRequest();
        assertTrue(request.header("Forwarded").contains("for=\"127.0.0.1\""), request.header("Forwarded"));
        assertEquals("192.0.2.7", request.header("X-Forwarded-For"));
    }

    @Test
    void withForwardClientAddressOffUpstreamLearnsNoClientAddress() throws Exception
    {
        java.util.Map<String, String> config = TestConfig.against(upstream, logs.resolve("private.log"));
        config.put("FORWARD_CLIENT_ADDRESS", "false");
        try (EmbeddedProxy withheld = EmbeddedProxy.start(config))
        {
            RawHttp.send(withheld.port(), "GET /v1/models HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 192.0.2.7\r\n"
                + "X-Real-IP: 192.0.2.7\r\nForwarded: for=192.0.2.7\r\nConnection: close\r\n\r\n");

            RecordedRequest request = upstream.takeRequest();
            for (String name : java.util.List.of("Forwarded", "X-Forwarded-For", "X-Real-IP"))
                assertNull(request.header(name), name);
            assertTrue(request.header("Via").endsWith("proxy-litellm"), request.header("Via"));
        }
    }
}
