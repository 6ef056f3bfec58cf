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

    /** Whether the stream ended with {@code data: [DONE]}. */
    public boolean done()
    {
        return done;
    }
}
