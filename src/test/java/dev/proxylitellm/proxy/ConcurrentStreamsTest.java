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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default configuration holds many long streams open at once. */
class ConcurrentStreamsTest
{
    @TempDir
    static Path logs;
    static FakeUpstream upstream;
    static EmbeddedProxy proxy;

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

    private HttpRequest chatStream()
    {
        return HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,\"messages\":[]}"))
            .header("Content-Type", "application/json").build();
    }

    @Test
    void aThousandConcurrentStreamsReachUpstreamWithoutQueueing() throws Exception
    {
        int streams = 1000;
        CountDownLatch allArrived = new CountDownLatch(streams);
        AtomicInteger timedOut = new AtomicInteger();
        upstream.script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "text/event-stream");
            exchange.write(": open\n\n");
            allArrived.countDown();
            // Every stream stays open until all of them are open at once.
            if (!allArrived.await(60, TimeUnit.SECONDS))
                timedOut.incrementAndGet();
            exchange.write("data: [DONE]\n\n");
        });
        HttpClient many = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < streams; i++)
            responses.add(many.sendAsync(chatStream(), HttpResponse.BodyHandlers.ofString()));

        assertTrue(allArrived.await(60, TimeUnit.SECONDS), (streams - allArrived.getCount()) + " of " + streams + " streams reached upstream");
        int complete = 0;
        for (CompletableFuture<HttpResponse<String>> response : responses)
        {
            if (response.get(60, TimeUnit.SECONDS).body().endsWith("data: [DONE]\n\n"))
                complete++;
        }
        assertEquals(streams, complete);
        assertEquals(0, timedOut.get());
    }

}
