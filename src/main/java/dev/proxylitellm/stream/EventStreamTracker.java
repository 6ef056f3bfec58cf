package dev.proxylitellm.stream;

import java.nio.ByteBuffer;

/**
 * Watches the bytes of a Server-Sent Events stream as they pass, without copying them: when the
 * last byte arrived, and whether the stream is at an event boundary (a blank line), where the
 * proxy may insert a comment or a final error event without splitting an event.
 */
public final class EventStreamTracker
{
    private volatile long lastByteNanos = System.nanoTime();
    /** Line feeds at the end of what passed, carriage returns ignored; two or more mean a boundary. */
    private volatile int trailingNewlines = 2;

    /** Whether {@code contentType} is {@code text/event-stream}, whatever its parameters and case. */
    public static boolean isEventStream(String contentType)
    {
        if (contentType == null)
            return false;
        int semicolon = contentType.indexOf(';');
        String base = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return base.equalsIgnoreCase("text/event-stream");
    }

    /** Notes {@code bytes} without moving its position. */
    public void passed(ByteBuffer bytes)
    {
        int newlines = 0;
        int index = bytes.limit() - 1;
        for (; index >= bytes.position(); index--)
        {
            byte b = bytes.get(index);
            if (b == '\n')
                newlines++;
            else if (b != '\r')
                break;
        }
        if (bytes.hasRemaining())
        {
            boolean onlyNewlines = index < bytes.position();
            trailingNewlines = onlyNewlines ? trailingNewlines + newlines : newlines;
            lastByteNanos = System.nanoTime();
        }
    }

    public boolean atEventBoundary()
    {
        return trailingNewlines >= 2;
    }

    /** What to write before a new event so that it cannot run into a half-sent one. */
    public String separator()
    {
        return atEventBoundary() ? "" : trailingNewlines == 1 ? "\n" : "\n\n";
    }

    public long silentMillis()
    {
        return (System.nanoTime() - lastByteNanos) / 1_000_000;
    }
}
