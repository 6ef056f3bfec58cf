package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.DepartingClient;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.HandshakeStream;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestCertificates;
import dev.proxylitellm.support.TestConfig;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 to an https upstream that offers it, HTTP/1.1 otherwise or when turned off. */
class Http2UpstreamTest
{
    @TempDir
    Path logs;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Map<String, String> config(FakeUpstream upstream)
    {
        Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
        config.put("UPSTREAM_CA_FILE", TestCertificates.get().caPem().toString());
        return config;
    }

    @Test
    void speaksHttp2ToAnUpstreamThatOffersIt() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.startTls(true); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream)))
        {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), response.body());
            FakeUpstream.RecordedRequest request = upstream.takeRequest();
            assertEquals("HTTP/2.0", request.protocol());
            assertEquals("/v1/models?app_id=" + TestConfig.APP_ID, request.target());
            assertEquals(TestConfig.DS_KEY, request.header("Authorization"));
        }
    }

    @Test
    void speaksHttp11WhenHttp2IsOff() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.startTls(true))
        {
            Map<String, String> config = config(upstream);
            config.put("UPSTREAM_HTTP2", "off");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                assertEquals(200, client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
                assertEquals("HTTP/1.1", upstream.takeRequest().protocol());
            }
        }
    }

    @Test
    void streamsEachEventAsItComesOverHttp2() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.startTls(true); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream)))
        {
            HandshakeStream stream = new HandshakeStream(4);
            upstream.script(stream.script());

            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(), HttpResponse.BodyHandlers.ofInputStream());

            assertEquals(4, stream.read(response.body()));
            assertTrue(stream.done());
        }
    }

    @Test
    void clientDisconnectCancelsTheHttp2Stream() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.startTls(true); EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream)))
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
            long closedAt = DepartingClient.leaveAfterFirstBytes(proxy.port(), "/v1/chat/completions", firstEventSent);

            Throwable failure = upstream.awaitScriptFailure(Duration.ofSeconds(10));
            long abortedAfterMs = (System.nanoTime() - closedAt) / 1_000_000;
            assertNotNull(failure, "the HTTP/2 stream went on after the client left");
            assertTrue(abortedAfterMs < 2000, abortedAfterMs + " ms");
            assertEquals("HTTP/2.0", upstream.takeRequest().protocol());
        }
    }
}
