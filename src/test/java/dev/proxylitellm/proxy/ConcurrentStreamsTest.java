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
    void twoThousandLongStreamsFromASlowUpstreamAllCompleteWithBoundedHeap() throws Exception
    {
        int streams = 2000;
        int events = 5;
        CountDownLatch allOpen = new CountDownLatch(streams);
        AtomicInteger timedOut = new AtomicInteger();
        upstream.script((request, exchange) ->
        {
            // Slow to start answering, as a busy LiteLLM is.
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(300));
            exchange.status(200).header("Content-Type", "text/event-stream");
            exchange.write(": open\n\n");
            allOpen.countDown();
            // Every stream stays open until all of them are open at once: none may wait in a queue.
            if (!allOpen.await(90, TimeUnit.SECONDS))
                timedOut.incrementAndGet();
            for (int i = 0; i < events; i++)
            {
                exchange.write(dev.proxylitellm.support.Scripts.chunkEvent(i, "tok"));
                Thread.sleep(200);
            }
            exchange.write("data: [DONE]\n\n");
        });
        HttpClient many = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < streams; i++)
            responses.add(many.sendAsync(chatStream(), HttpResponse.BodyHandlers.ofString()));
        assertTrue(allOpen.await(90, TimeUnit.SECONDS), (streams - allOpen.getCount()) + " of " + streams + " streams reached upstream");
        System.gc();
        long heapWithAllOpen = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int complete = 0;
        for (CompletableFuture<HttpResponse<String>> response : responses)
        {
            String body = response.get(90, TimeUnit.SECONDS).body();
            if (body.endsWith("data: [DONE]\n\n") && body.split("data: \\{", -1).length - 1 == events)
                complete++;
        }

        System.out.printf("%d concurrent streams: heap after GC with all open %d MiB (test JVM: client, proxy and upstream together)%n",
            streams, heapWithAllOpen >> 20);
        assertEquals(streams, complete);
        assertEquals(0, timedOut.get());
        assertTrue(heapWithAllOpen < 512L << 20, "heap with all streams open: " + (heapWithAllOpen >> 20) + " MiB");
    }
}
