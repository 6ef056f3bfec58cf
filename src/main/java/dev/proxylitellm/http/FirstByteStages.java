package dev.proxylitellm.http;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When a call reached each stage on the way to its first byte, so that what the proxy adds can be
 * told from what upstream takes: the time from the start of the call to each {@link Stage}, the
 * first time it is reached. Written from whichever thread gets there (container, client selector,
 * writer), read once the call is over.
 */
public final class FirstByteStages
{
    /** The stages in the order a call passes them. */
    public enum Stage
    {
        /** The client's request body has been read (at once for a call without one). */
        REQUEST_READ("request_read"),
        /**
         * The request has been written to upstream, body included: the moment the client reports
         * it, which can come after upstream's headers arrived.
         */
        UPSTREAM_SENT("upstream_sent"),
        /** Upstream's response headers arrived. */
        UPSTREAM_HEADERS("upstream_headers"),
        /** Upstream's first body bytes arrived. */
        UPSTREAM_FIRST_CONTENT("upstream_first_content"),
        /** The first body bytes were handed to the container's output. */
        CLIENT_FIRST_WRITE("client_first_write"),
        /** ... and flushed to the client's connection. */
        CLIENT_FLUSHED("client_flushed");

        private static final Stage[] ALL = values();
        private final String label;

        Stage(String label)
        {
            this.label = label;
        }

        /** The name in metrics. */
        public String label()
        {
            return label;
        }

        /** All stages, in order; a shared array, not to be changed. */
        public static Stage[] all()
        {
            return ALL;
        }
    }

    private final long startNanos;
    private final AtomicLongArray reached = new AtomicLongArray(Stage.ALL.length);

    FirstByteStages(long startNanos)
    {
        this.startNanos = startNanos;
    }

    /** Records {@code stage} as reached now, unless it was before. */
    public void reached(Stage stage)
    {
        if (reached.get(stage.ordinal()) == 0)
            reached.compareAndSet(stage.ordinal(), 0, System.nanoTime());
    }

    /** Nanoseconds from the start of the call to {@code stage}, or -1 if it was not reached. */
    public long nanosTo(Stage stage)
    {
        long at = reached.get(stage.ordinal());
        return at == 0 ? -1 : at - startNanos;
    }
}
