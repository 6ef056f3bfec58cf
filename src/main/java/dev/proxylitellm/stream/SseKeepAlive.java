package dev.proxylitellm.stream;

import dev.proxylitellm.http.Exchange;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Sends {@code : keep-alive} comments into an SSE stream whose upstream has been silent for the
 * interval (a reasoning model thinking), but only at an event boundary. Load balancers in between
 * see traffic, and a client that left is noticed at the next comment rather than at the upstream
 * idle timeout.
 */
public final class SseKeepAlive implements Runnable
{
    static final String COMMENT = ": keep-alive\n\n";

    private final Scheduler scheduler;
    private final long intervalMs;
    private final Exchange exchange;
    private final EventStreamTracker stream;
    private final EventSink sink;

    private SseKeepAlive(Scheduler scheduler, long intervalMs, Exchange exchange, EventStreamTracker stream, EventSink sink)
    {
        this.scheduler = scheduler;
        this.intervalMs = intervalMs;
        this.exchange = exchange;
        this.stream = stream;
        this.sink = sink;
    }

    public static void start(Scheduler scheduler, long intervalMs, Exchange exchange, EventStreamTracker stream, EventSink sink)
    {
        if (intervalMs > 0)
            new SseKeepAlive(scheduler, intervalMs, exchange, stream, sink).schedule(intervalMs);
    }

    private void schedule(long delayMs)
    {
        scheduler.schedule(this, Math.max(1, delayMs), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run()
    {
        if (exchange.isFinished() || exchange.hasClientFailed())
            return;
        long silent = stream.silentMillis();
        if (silent >= intervalMs && stream.atEventBoundary())
        {
            sink.send(COMMENT, () -> { });
            schedule(intervalMs);
        }
        else
        {
            // Not silent long enough, or inside an event: look again when the interval would be up.
            schedule(Math.max(intervalMs - silent, intervalMs / 4));
        }
    }
}
