package dev.proxylitellm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thirty minutes of mixed traffic ({@code mvn verify -Psoak}; {@code -Dsoak.minutes=N} to change):
 * plain calls, streams, clients that abort streams, and upstream failures on purpose. Heap after a
 * full GC at the end must be within 10% of the value after a minute of warm-up, and no request may
 * fail that the fake upstream did not fail on purpose.
 */
class SoakTest
{
    private static final int WORKERS = 16;

    @TempDir
    Path logs;

    @Test
    void mixedTrafficLeaksNeitherMemoryNorRequests() throws Exception
    {
        long minutes = Long.getLong("soak.minutes", 30);
        long warmUpMs = Math.min(60_000, minutes * 60_000 / 4);
        AtomicLong requests = new AtomicLong();
        AtomicLong unexpectedFailures = new AtomicLong();
        AtomicLong intendedFailures = new AtomicLong();
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            upstream.stopRecording();
            upstream.script((request, exchange) ->
            {
                String path = request.path();
                if (path.endsWith("/fail"))
                {
                    exchange.reset();
                }
                else if (path.endsWith("/stream"))
                {
                    exchange.status(200).header("Content-Type", "text/event-stream");
                    for (int i = 0; i < 5; i++)
                    {
                        exchange.write(Scripts.chunkEvent(i, "soak"));
                        Thread.sleep(20);
                    }
                    exchange.write("data: [DONE]\n\n");
                }
                else
                {
                    Scripts.json(200, "{\"object\":\"list\",\"data\":[]}").respond(request, exchange);
                }
            });
            java.util.Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.put("LOG_FILE", "");
            config.put("LOG_LEVEL", "WARN");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long end = System.currentTimeMillis() + minutes * 60_000;
                ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
                List<java.util.concurrent.Future<?>> running = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++)
                {
                    running.add(workers.submit(() ->
                    {
                        while (System.currentTimeMillis() < end)
                        {
                            requests.incrementAndGet();
                            try
                            {
                                int kind = ThreadLocalRandom.current().nextInt(10);
                                if (kind < 4)
                                {
                                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                    if (response.statusCode() != 200)
                                        unexpectedFailures.incrementAndGet();
                                }
                                else if (kind < 7)
                                {
                                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/stream"))
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(), HttpResponse.BodyHandlers.ofString());
                                    if (!response.body().endsWith("data: [DONE]\n\n"))
                                        unexpectedFailures.incrementAndGet();
                                }
                                else if (kind < 9)
                                {
                                    abortStream(proxy);
                                }
                                else
                                {
                                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/v1/fail")).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                    if (response.statusCode() == 502)
                                        intendedFailures.incrementAndGet();
                                    else
                                        unexpectedFailures.incrementAndGet();
                                }
                            }
                            catch (Exception x)
                            {
                                unexpectedFailures.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                Thread.sleep(warmUpMs);
                long warmHeap = heapAfterGc();
                for (java.util.concurrent.Future<?> worker : running)
                    worker.get(minutes + 5, TimeUnit.MINUTES);
                workers.shutdown();
                Thread.sleep(2000);
                long endHeap = heapAfterGc();

                System.out.printf("soak %d min: %d requests, %d failed on purpose, %d failed otherwise; heap after GC %d MiB after warm-up, %d MiB at the end (%+.1f%%)%n",
                    minutes, requests.get(), intendedFailures.get(), unexpectedFailures.get(), warmHeap >> 20, endHeap >> 20,
                    100.0 * (endHeap - warmHeap) / warmHeap);
                assertEquals(0, unexpectedFailures.get());
                assertTrue(endHeap <= warmHeap * 1.10, "heap grew from " + (warmHeap >> 20) + " to " + (endHeap >> 20) + " MiB");
            }
        }
    }

    private static void abortStream(EmbeddedProxy proxy) throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", proxy.port()))
        {
            OutputStream out = socket.getOutputStream();
            out.write("POST /v1/stream HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(5000);
            socket.getInputStream().read(new byte[256]);
            socket.setSoLinger(true, 0);
        }
    }

    private static long heapAfterGc() throws InterruptedException
    {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            Thread.sleep(Duration.ofMillis(200).toMillis());
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
