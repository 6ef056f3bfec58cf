package dev.proxylitellm.proxy;

import static dev.proxylitellm.support.OpenAiErrorAssertions.assertOpenAiError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.RawHttp;
import dev.proxylitellm.support.TestConfig;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstreams that misbehave at the byte level, and clients that leave during the upload. */
class UpstreamFaultsTest
{
    @TempDir
    Path logs;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A raw upstream that reads a request head and answers with {@code reply}, then closes. */
    private static ServerSocket rawUpstream(byte[] reply) throws Exception
    {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread thread = new Thread(() ->
        {
            try (Socket socket = server.accept())
            {
                if (!RawHttp.skipRequestHead(socket.getInputStream()))
                    return;
                OutputStream out = socket.getOutputStream();
                out.write(reply);
                out.flush();
            }
            catch (Exception ignored)
            {
                // The test reads the outcome from the proxy's answer.
            }
        }, "raw-upstream");
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    @Test
    void aMalformedUpstreamResponseIsA502() throws Exception
    {
        try (FakeUpstream unused = FakeUpstream.start();
             ServerSocket upstream = rawUpstream("HELLO THERE\r\nnot http at all\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
        {
            Map<String, String> config = TestConfig.against(unused, logs.resolve("proxy.log"));
            config.put("LITELLM_BASE_URL", "http://127.0.0.1:" + upstream.getLocalPort() + "/v1");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());

                assertOpenAiError(502, "upstream_error", response.statusCode(), response.headers().firstValue("content-type").orElse(""), response.body());
            }
        }
    }

    @Test
    void anUpstreamClosingBeforeAnsweringIsA502() throws Exception
    {
        try (FakeUpstream unused = FakeUpstream.start(); ServerSocket upstream = rawUpstream(new byte[0]))
        {
            Map<String, String> config = TestConfig.against(unused, logs.resolve("proxy.log"));
            config.put("LITELLM_BASE_URL", "http://127.0.0.1:" + upstream.getLocalPort() + "/v1");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());

                assertOpenAiError(502, "upstream_error", response.statusCode(), response.headers().firstValue("content-type").orElse(""), response.body());
            }
        }
    }

    @Test
    void aClientLeavingDuringTheUploadAbortsTheUpstreamRequest() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            upstream.awaitScriptFailure(Duration.ZERO);
            CountDownLatch upstreamConnected = new CountDownLatch(1);
            long closedAt;
            try (Socket socket = new Socket("127.0.0.1", proxy.port()))
            {
                OutputStream out = socket.getOutputStream();
                out.write("POST /v1/files HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[50_000]);
                out.flush();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (upstream.openConnections() == 0 && System.nanoTime() < deadline)
                    Thread.sleep(10);
                assertEquals(1, upstream.openConnections(), "the upload never reached upstream");
                upstreamConnected.countDown();
                socket.setSoLinger(true, 0);
                closedAt = System.nanoTime();
            }

            Throwable failure = upstream.awaitScriptFailure(Duration.ofSeconds(5));
            long abortedAfterMs = (System.nanoTime() - closedAt) / 1_000_000;
            assertNotNull(failure, "upstream kept waiting for the rest of the body");
            assertTrue(abortedAfterMs < 1000, "aborted " + abortedAfterMs + " ms after the client left");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (upstream.openConnections() > 0 && System.nanoTime() < deadline)
                Thread.sleep(10);
            assertEquals(0, upstream.openConnections(), "the upstream connection leaked");
            assertTrue(upstream.drainRequests().isEmpty(), "a truncated body was delivered as a complete request");
        }
    }
}
