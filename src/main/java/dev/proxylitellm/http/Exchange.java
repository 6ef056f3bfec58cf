package dev.proxylitellm.http;

import dev.proxylitellm.errors.OpenAiError;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Request;

/**
 * What the proxy records about one client request while it is proxied, for its access log line:
 * timings, byte counts, upstream status and how it ended. Each counter has a single writer (the
 * request side or the response side), so plain volatile fields suffice.
 */
public final class Exchange
{
    public static final String ATTRIBUTE = Exchange.class.getName();

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

    private final String method;
    private final String path;
    private final String client;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean responded = new AtomicBoolean();
    private volatile Runnable onFinish;
    private volatile EventStreamTracker eventStream;
    private volatile EventSink sink;
    private volatile long upstreamHeadersNanos;
    private volatile int upstreamStatus;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile boolean clientFailed;
    private volatile OpenAiError invalidClientRequest;
    private volatile Request proxyRequest;
    private volatile boolean containerDone;

    /**
     * @param client the caller's identity for the log, or null when callers are not identified
     */
    public Exchange(String method, String path, String client)
    {
        this.method = method;
        this.path = path;
        this.client = client;
    }

    public String client()
    {
        return client;
    }

    public void proxyRequest(Request proxyRequest)
    {
        this.proxyRequest = proxyRequest;
    }

    /** Aborts the upstream request, if there is one, so that upstream stops generating. */
    public void abortUpstream(Throwable cause)
    {
        Request request = proxyRequest;
        if (request != null)
            request.abort(cause);
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
        upstreamHeadersNanos = System.nanoTime();
        upstreamStatus = status;
    }

    public void addBytesIn(int count)
    {
        bytesIn += count;
    }

    public void addBytesOut(int count)
    {
        bytesOut += count;
    }

    /** Records that writing to the client failed: the client went away. */
    public void clientFailed()
    {
        clientFailed = true;
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
     * Ends the exchange: true the first time only, so an exchange that fails on both sides is
     * logged once; runs the {@link #onFinish} action then.
     */
    public boolean finish()
    {
        if (!finished.compareAndSet(false, true))
            return false;
        Runnable action = onFinish;
        if (action != null)
            action.run();
        return true;
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

    /** Something to do once when the exchange ends, such as giving back a concurrency permit. */
    public void onFinish(Runnable action)
    {
        this.onFinish = action;
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

    public int upstreamStatus()
    {
        return upstreamStatus;
    }

    /** Milliseconds from the client request to upstream's response headers, or -1 if none came. */
    public long upstreamTtfbMillis()
    {
        long headers = upstreamHeadersNanos;
        return headers == 0 ? -1 : (headers - startNanos) / 1_000_000;
    }

    public long elapsedMillis()
    {
        return (System.nanoTime() - startNanos) / 1_000_000;
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
