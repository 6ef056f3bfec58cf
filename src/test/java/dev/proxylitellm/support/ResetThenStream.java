package dev.proxylitellm.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * "Stop generating" next to another user's answer: stream A is reset by its client (RST, SO_LINGER
 * 0) right after its first event while upstream keeps writing to it, and stream B starts at once
 * on a new connection. B must arrive whole — every event, {@code [DONE]} and the terminating
 * chunk — however the container recycles what A used. The upstream script tells A from B by body.
 */
public final class ResetThenStream
{
    /** Events of stream B. */
    public static final int EVENTS = 5;
    private static final String ABANDONED = "{\"stream\":true,\"abandon\":true}";
    private static final String KEPT = "{\"stream\":true}";

    private ResetThenStream()
    {
    }

    /** A: events every 2 ms for up to two seconds (until the proxy aborts it); B: {@value #EVENTS} events 20 ms apart. */
    public static FakeUpstream.Script script()
    {
        return (request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "text/event-stream");
            if (request.bodyText().contains("abandon"))
            {
                for (int i = 0; i < 1000; i++)
                {
                    exchange.write(Scripts.chunkEvent(i, "abandoned"));
                    Thread.sleep(2);
                }
                return;
            }
            for (int i = 0; i < EVENTS; i++)
            {
                exchange.write(Scripts.chunkEvent(i, "kept" + i));
                Thread.sleep(20);
            }
            exchange.write("data: [DONE]\n\n");
        };
    }

    /** Runs {@code pairs} pairs, {@code parallel} at a time; returns the B streams that were cut, with what they got. */
    public static List<String> run(int port, String path, int pairs, int parallel) throws Exception
    {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try
        {
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (int i = 0; i < pairs; i++)
                results.add(CompletableFuture.supplyAsync(() -> pair(port, path), pool));
            List<String> cut = new ArrayList<>();
            for (CompletableFuture<String> result : results)
            {
                String failure = result.get(60, TimeUnit.SECONDS);
                if (failure != null)
                    cut.add(failure);
            }
            return cut;
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    /** One pair; null when B arrived whole, else what went wrong. */
    private static String pair(int port, String path)
    {
        try
        {
            resetAfterFirstEvent(port, path);
            RawHttp.RawResponse b = send(port, path, KEPT);
            String body = b.bodyText();
            int events = body.split("data: \\{", -1).length - 1;
            if (b.status() == 200 && b.complete() && events == EVENTS && body.endsWith("data: [DONE]\n\n"))
                return null;
            return "status " + b.status() + ", complete " + b.complete() + ", " + events + " events";
        }
        catch (Exception x)
        {
            return x.toString();
        }
    }

    private static void resetAfterFirstEvent(int port, String path) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            write(socket.getOutputStream(), path, ABANDONED);
            InputStream in = socket.getInputStream();
            // The head and the first event's bytes: read until the first blank line after "data:".
            byte[] buffer = new byte[4096];
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("data: {"))
            {
                int read = in.read(buffer);
                if (read < 0)
                    throw new IOException("A ended before its first event");
                seen.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
            socket.setSoLinger(true, 0);
        }
    }

    private static RawHttp.RawResponse send(int port, String path, String body) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            write(socket.getOutputStream(), path, body);
            return RawHttp.read(socket.getInputStream());
        }
    }

    private static void write(OutputStream out, String path, String body) throws IOException
    {
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
            + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
