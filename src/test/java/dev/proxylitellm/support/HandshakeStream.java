package dev.proxylitellm.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An SSE stream in lock-step: upstream sends event i+1 only once the client has read event i. A
 * proxy that held events back would stall it, so passing needs no timing assumption at all.
 */
public final class HandshakeStream
{
    private final int events;
    private final List<Semaphore> received = new ArrayList<>();
    private boolean done;

    public HandshakeStream(int events)
    {
        this.events = events;
        for (int i = 0; i < events; i++)
            received.add(new Semaphore(0));
    }

    /** The upstream side; it fails if the client does not see an event within five seconds. */
    public FakeUpstream.Script script()
    {
        return (request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "text/event-stream");
            for (int i = 0; i < events; i++)
            {
                exchange.write(Scripts.chunkEvent(i, "tok" + i));
                if (!received.get(i).tryAcquire(5, TimeUnit.SECONDS))
                    throw new AssertionError("event " + i + " did not reach the client within 5 s");
            }
            exchange.write("data: [DONE]\n\n");
        };
    }

    /** The client side: reads the body to its end, acknowledging each event; returns how many arrived. */
    public int read(InputStream body) throws IOException
    {
        int seen = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (line.startsWith("data: {") && seen < events)
                    received.get(seen++).release();
                done |= line.equals("data: [DONE]");
            }
        }
        return seen;
    }

    /**
     * The client side as Python's urllib3 (and so {@code requests}) reads a chunked response: a
     * chunk's data is handed over only once the CRLF that closes the chunk has arrived. Reads the
     * raw response from {@code socket} after its request was sent; returns how many events arrived.
     */
    public int readWholeChunks(InputStream raw) throws IOException
    {
        String head = readLine(raw);
        if (head == null || !head.startsWith("HTTP/1.1 200"))
            throw new IOException("not a 200 response: " + head);
        for (String line = readLine(raw); line != null && !line.isEmpty(); line = readLine(raw))
        {
            // Headers: a chunked body is what this reader is for.
        }
        StringBuilder pending = new StringBuilder();
        int seen = 0;
        while (true)
        {
            String size = readLine(raw);
            if (size == null)
                throw new IOException("the response ended before its last chunk");
            int length = Integer.parseInt(size.trim(), 16);
            if (length == 0)
                return seen;
            byte[] data = raw.readNBytes(length);
            String crlf = readLine(raw);
            if (data.length < length || !"".equals(crlf))
                throw new IOException("a chunk was cut short");
            pending.append(new String(data, StandardCharsets.UTF_8));
            int end;
            while ((end = pending.indexOf("\n")) >= 0)
            {
                String line = pending.substring(0, end);
                pending.delete(0, end + 1);
                if (line.startsWith("data: {") && seen < events)
                    received.get(seen++).release();
                done |= line.equals("data: [DONE]");
            }
        }
    }

    private static String readLine(InputStream in) throws IOException
    {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read())
        {
            if (b == '\n')
                return line.toString().endsWith("\r") ? line.substring(0, line.length() - 1) : line.toString();
            line.append((char)b);
        }
        return line.length() == 0 ? null : line.toString();
    }

    /** Whether the stream ended with {@code data: [DONE]}. */
    public boolean done()
    {
        return done;
    }
}
