package dev.proxylitellm.http;

import dev.proxylitellm.errors.Causes;
import dev.proxylitellm.errors.OpenAiError;
import dev.proxylitellm.stream.EventSink;
import dev.proxylitellm.stream.EventStreamTracker;
import dev.proxylitellm.usage.TokenUsage;
import dev.proxylitellm.usage.UsageObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.eclipse.jetty.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the proxy records about one client request while it is proxied, for its access log line
 * and metrics: id, route, timings, byte counts, upstream status, token usage and how it ended.
 * Each counter has a single writer (the request side or the response side), so plain volatile
 * fields suffice. {@link #complete} ends it exactly once, whichever side finishes first.
 */
public final class Exchange
{
    public static final String ATTRIBUTE = Exchange.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    /** Far longer than any write and flush to a socket takes; only a deadlock would wait this long. */
    private static final long CLIENT_LOCK_SECONDS = 5;

    /** How an exchange ended, as the access log reports it. */
    public enum Outcome
    {
        OK, REJECTED, CLIENT_ABORT, UPSTREAM_ERROR, UPSTREAM_TIMEOUT;

        @Override
        public String toString()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String requestId;
    private final String method;
    private final String path;
    private final String route;
    private final Consumer<Exchange> onComplete;
    private final long startNanos = System.nanoTime();
    private final FirstByteStages stages = new FirstByteStages(startNanos);
    private volatile String client;
    private volatile UsageObserver usage;
    private volatile int status;
    private volatile Outcome outcome;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final ReentrantLock clientLock = new ReentrantLock();
    private final AtomicBoolean responded = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Runnable onFinish;
    private volatile Runnable whenComplete;
    private volatile boolean ownRateLimitHeaders;
    private volatile long responseContentLength = -1;
    private volatile Throwable upstreamFailure;
    private volatile EventStreamTracker eventStream;
    private volatile EventSink sink;
    private volatile int upstreamStatus;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile boolean clientFailed;
    private volatile OpenAiError invalidClientRequest;
    private volatile Request proxyRequest;
    private volatile boolean containerDone;
    private volatile long endNanos;

    /**
     * @param route the endpoint family, a bounded metric label
     * @param onComplete what to do once the exchange has ended: log it, count it
     */
    public Exchange(String requestId, String method, String path, String route, Consumer<Exchange> onComplete)
    {
        this.requestId = requestId;
        this.method = method;
        this.path = path;
        this.route = route;
        this.onComplete = onComplete;
    }

    public String requestId()
    {
        return requestId;
    }

    public String route()
    {
        return route;
    }

    /** The caller's identity, or null when callers are not identified. */
    public String client()
    {
        return client;
    }

    public void client(String identity)
    {
        this.client = identity;
    }

    /** Watches the response body for token usage; set before the body starts, if at all. */
    public void usageObserver(UsageObserver observer)
    {
        this.usage = observer;
    }

    public UsageObserver usageObserver()
    {
        return usage;
    }

    /** The model the response named, or null. */
    public String model()
    {
        UsageObserver observer = usage;
        return observer == null ? null : observer.model();
    }

    public TokenUsage tokens()
    {
        UsageObserver observer = usage;
        return observer == null ? TokenUsage.UNKNOWN : observer.usage();
    }

    /** Events relayed, for an event stream. */
    public int events()
    {
        UsageObserver observer = usage;
        return observer == null ? 0 : observer.events();
    }

    public void proxyRequest(Request proxyRequest)
    {
        this.proxyRequest = proxyRequest;
    }

    /** Whether the request went on to upstream, so that its response, not the container's thread, ends it. */
    public boolean isProxied()
    {
        return proxyRequest != null;
    }

    /** Aborts the upstream request, if there is one, so that upstream stops generating. */
    public void abortUpstream(Throwable cause)
    {
        Request request = proxyRequest;
        if (request != null)
            request.abort(cause);
    }

    /**
     * Takes the exchange's client lock, held around every write and flush to the client response
     * and around the container's error and completion callbacks. On Tomcat a writer that is not a
     * container thread can still be inside {@code flush()} when the container, told of the I/O
     * error, completes and recycles the request: the exception recorded after that lands on the
     * next connection's response and cuts its stream. Holding the callbacks until the writer has
     * left lets the container recycle only afterwards. Bounded, so that a lock cycle with the
     * container can only delay, never hang: after {@value #CLIENT_LOCK_SECONDS} s it goes on
     * without the lock and says so.
     *
     * @return whether the lock was taken, for {@link #unlockClient}
     */
    public boolean lockClient()
    {
        try
        {
            if (clientLock.tryLock(CLIENT_LOCK_SECONDS, TimeUnit.SECONDS))
                return true;
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
        LOG.warn("{} {}: waited {} s for the client response lock (held by another thread); going on without it",
            method, path, CLIENT_LOCK_SECONDS);
        return false;
    }

    public void unlockClient(boolean locked)
    {
        if (locked)
            clientLock.unlock();
    }

    /** Runs {@code action} holding the client lock (see {@link #lockClient}). */
    public void withClientLock(Runnable action)
    {
        boolean locked = lockClient();
        try
        {
            action.run();
        }
        finally
        {
            unlockClient(locked);
        }
    }

    /**
     * Records that the container has finished with the client request (completed it, or given
     * up on it after an I/O error): from now on its request and response objects may be recycled
     * and must not be touched.
     */
    public void containerDone()
    {
        containerDone = true;
    }

    public boolean isContainerDone()
    {
        return containerDone;
    }

    public void upstreamHeaders(int status)
    {
        stages.reached(FirstByteStages.Stage.UPSTREAM_HEADERS);
        upstreamStatus = status;
    }

    public void addBytesIn(int count)
    {
        bytesIn += count;
    }

    /** Records that the client went away, with the {@code failure} the container or a write reported. */
    public void clientFailed(Throwable failure)
    {
        clientFailed = true;
        SharedFailures.note(this, failure);
    }

    /** Records that the client's request body was malformed, so the client gets {@code error}. */
    public void clientRequestInvalid(OpenAiError error)
    {
        invalidClientRequest = error;
    }

    public OpenAiError invalidClientRequest()
    {
        return invalidClientRequest;
    }

    public boolean hasClientFailed()
    {
        return clientFailed;
    }

    /**
     * Ends the exchange with the status the client got and how it went: the first call only, so
     * an exchange that fails on both sides is logged and counted once. Runs the {@link #onFinish}
     * action, then the completion handler.
     */
    public void complete(int status, Outcome outcome)
    {
        if (!finished.compareAndSet(false, true))
            return;
        this.status = status;
        this.outcome = outcome;
        endNanos = System.nanoTime();
        release();
        Runnable action = whenComplete;
        if (action != null)
            action.run();
        onComplete.accept(this);
    }

    /**
     * Runs the {@link #onFinish} action now, once: called as the last byte of the response is
     * handed to the container, so a client that has its whole answer finds its permit free.
     */
    public void release()
    {
        Runnable action = onFinish;
        if (action != null && released.compareAndSet(false, true))
            action.run();
    }

    /** Upstream's {@code Content-Length}, kept on the response, or -1. */
    public void responseContentLength(long length)
    {
        this.responseContentLength = length;
    }

    /** Adds {@code count} relayed response bytes; the last byte of a response with a length releases it. */
    public void addBytesOut(int count)
    {
        long total = bytesOut + count;
        bytesOut = total;
        long length = responseContentLength;
        if (length >= 0 && total >= length)
            release();
    }

    /**
     * Records that the upstream exchange failed while the request body was being sent, so that the
     * resulting failure of the body is not mistaken for the client's.
     */
    public void upstreamFailed(Throwable failure)
    {
        if (!clientFailed && upstreamFailure == null)
            upstreamFailure = failure;
    }

    /** Whether {@code failure} is (or was caused by) upstream's failure rather than the client's. */
    public boolean isUpstreamFailure(Throwable failure)
    {
        Throwable upstream = upstreamFailure;
        return upstream != null && Causes.of(failure).contains(upstream);
    }

    /** The status the client got, once complete; 0 when none was sent. */
    public int status()
    {
        return status;
    }

    public Outcome outcome()
    {
        return outcome;
    }

    public boolean isFinished()
    {
        return finished.get();
    }

    /** Marks the response as a Server-Sent Events stream, watched by {@code tracker}. */
    public void eventStream(EventStreamTracker tracker)
    {
        this.eventStream = tracker;
    }

    /** The tracker of an SSE response, or null for other responses. */
    public EventStreamTracker eventStream()
    {
        return eventStream;
    }

    public void sink(EventSink sink)
    {
        this.sink = sink;
    }

    /** Where the proxy can add its own bytes to the response once it has started, or null. */
    public EventSink sink()
    {
        return sink;
    }

    /** Something to do once when the exchange ends, such as giving back a concurrency permit; after any added before. */
    public void onFinish(Runnable action)
    {
        Runnable before = onFinish;
        this.onFinish = before == null ? action : () ->
        {
            before.run();
            action.run();
        };
    }

    /** Whether the response carries the proxy's own x-ratelimit-* headers for this client (upstream's then give way). */
    public boolean ownRateLimitHeaders()
    {
        return ownRateLimitHeaders;
    }

    public void ownRateLimitHeaders(boolean own)
    {
        this.ownRateLimitHeaders = own;
    }

    /** Something to do once the exchange is complete, its usage known, before it is logged and counted. */
    public void onComplete(Runnable action)
    {
        Runnable before = whenComplete;
        this.whenComplete = before == null ? action : () ->
        {
            before.run();
            action.run();
        };
    }

    /** True the first time only: the proxy answers the client once, whichever failure comes first. */
    public boolean claimResponse()
    {
        return responded.compareAndSet(false, true);
    }

    public String method()
    {
        return method;
    }

    public String path()
    {
        return path;
    }

    /** When the call reached each stage on the way to its first byte. */
    public FirstByteStages stages()
    {
        return stages;
    }

    public int upstreamStatus()
    {
        return upstreamStatus;
    }

    /** Milliseconds from the client request to upstream's response headers, or -1 if none came. */
    public long upstreamTtfbMillis()
    {
        long headers = stages.nanosTo(FirstByteStages.Stage.UPSTREAM_HEADERS);
        return headers < 0 ? -1 : headers / 1_000_000;
    }

    /** Seconds from the client request to upstream's response headers, or -1 if none came. */
    public double upstreamTtfbSeconds()
    {
        long headers = stages.nanosTo(FirstByteStages.Stage.UPSTREAM_HEADERS);
        return headers < 0 ? -1 : headers / 1e9;
    }

    /** Milliseconds from the client request to completion (or to now, before it). */
    public long elapsedMillis()
    {
        return elapsedNanos() / 1_000_000;
    }

    public double elapsedSeconds()
    {
        return elapsedNanos() / 1e9;
    }

    private long elapsedNanos()
    {
        long end = endNanos;
        return (end == 0 ? System.nanoTime() : end) - startNanos;
    }

    public long bytesIn()
    {
        return bytesIn;
    }

    public long bytesOut()
    {
        return bytesOut;
    }
}
