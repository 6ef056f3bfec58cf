package dev.proxylitellm.stream;

/** Where the proxy's own bytes for a streamed response go, in order with upstream's. */
public interface EventSink
{
    /** Queues {@code text} behind what is already queued; {@code done} runs once it is written or has failed. */
    void send(String text, Runnable done);
}
