import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Drives Server-Sent Events streams through a proxy (or straight at the upstream) with one
 * asynchronous client that can hold thousands of them, and prints what it measured as
 * {@code key=value} pairs on one line.
 * <ul>
 * <li>{@code latency <url> <streams> <concurrency>}: time to first byte and, for every chunk,
 * the delay from the upstream's send time (the chunk's {@code "t"}) to its arrival here,
 * measured after a first, uncounted pass of the same streams.</li>
 * <li>{@code hold <url> <streams>}: opens all streams at once and counts those that complete
 * with every event.</li>
 * </ul>
 */
public final class StreamLoad
{
    private static final String BODY = "{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    public static void main(String[] args) throws Exception
    {
        String mode = args[0];
        String url = args[1];
        int streams = Integer.parseInt(args[2]);
        int concurrency = mode.equals("hold") ? streams : Integer.parseInt(args[3]);
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(concurrency + 16);
        client.setMaxRequestsQueuedPerDestination(streams + 16);
        client.setIdleTimeout(120_000);
        client.setConnectTimeout(30_000);
        client.start();
        if (mode.equals("latency"))
            run(client, url, streams, concurrency); // a warm-up pass, so both JVMs' JIT is at work
        run(client, url, streams, concurrency).print();
        client.stop();
    }

    private record Figures(int ok, int failed, long unfinished, double seconds, List<Double> ttfbs, List<Double> delays)
    {
        void print()
        {
            System.out.printf("ok=%d failed=%d unfinished=%d seconds=%.1f ttfb_p50_ms=%.2f ttfb_p99_ms=%.2f delay_p50_ms=%.2f delay_p99_ms=%.2f delay_max_ms=%.2f%n",
                ok, failed, unfinished, seconds,
                percentile(ttfbs, 50), percentile(ttfbs, 99), percentile(delays, 50), percentile(delays, 99), percentile(delays, 100));
        }
    }

    private static Figures run(HttpClient client, String url, int streams, int concurrency) throws Exception
    {
        List<Double> ttfbs = Collections.synchronizedList(new ArrayList<>());
        List<Double> delays = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore permits = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(streams);
        long started = System.nanoTime();
        for (int i = 0; i < streams; i++)
        {
            permits.acquire();
            long sent = System.nanoTime();
            long[] firstByte = {0};
            StringBuilder pending = new StringBuilder();
            int[] events = {0};
            client.newRequest(url)
                .method(HttpMethod.POST)
                .headers(headers -> headers.put("Authorization", "Bearer bench-client"))
                .body(new StringRequestContent("application/json", BODY))
                .timeout(120, TimeUnit.SECONDS)
                .onResponseContent((response, content) ->
                {
                    long now = System.nanoTime();
                    if (firstByte[0] == 0)
                        firstByte[0] = now;
                    long arrived = micros();
                    pending.append(StandardCharsets.US_ASCII.decode(content));
                    int end;
                    while ((end = pending.indexOf("\n\n")) >= 0)
                    {
                        String event = pending.substring(0, end);
                        pending.delete(0, end + 2);
                        events[0]++;
                        int t = event.indexOf("\"t\":");
                        if (t >= 0)
                        {
                            int stop = event.indexOf(',', t);
                            delays.add((arrived - Long.parseLong(event.substring(t + 4, stop))) / 1000.0);
                        }
                    }
                })
                .send(result ->
                {
                    if (result.isSucceeded() && result.getResponse().getStatus() == 200 && events[0] >= 2)
                    {
                        ok.incrementAndGet();
                        ttfbs.add((firstByte[0] - sent) / 1e6);
                    }
                    else
                    {
                        failed.incrementAndGet();
                    }
                    permits.release();
                    done.countDown();
                });
        }
        boolean finished = done.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Figures(ok.get(), failed.get(), finished ? 0 : done.getCount(), seconds, ttfbs, delays);
    }

    private static long micros()
    {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static double percentile(List<Double> values, double p)
    {
        List<Double> sorted;
        synchronized (values)
        {
            sorted = new ArrayList<>(values);
        }
        if (sorted.isEmpty())
            return Double.NaN;
        Collections.sort(sorted);
        int index = (int)Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
