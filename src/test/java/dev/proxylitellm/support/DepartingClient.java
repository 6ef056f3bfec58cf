package dev.proxylitellm.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A client that asks for a stream, reads its first bytes and then resets the connection, as a cancelled generation does. */
public final class DepartingClient
{
    private DepartingClient()
    {
    }

    /**
     * POSTs {@code {}} to {@code path}, waits for the first response bytes and for {@code upstreamSent}, then resets.
     *
     * @return {@link System#nanoTime()} at the reset
     */
    public static long leaveAfterFirstBytes(int port, String path, CountDownLatch upstreamSent) throws Exception
    {
        return leaveAfterFirstBytes(port, path, "", upstreamSent);
    }

    /** As {@link #leaveAfterFirstBytes(int, String, CountDownLatch)}, sending {@code headers} (each ending in CRLF) too. */
    public static long leaveAfterFirstBytes(int port, String path, String headers, CountDownLatch upstreamSent) throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(10_000);
            assertTrue(socket.getInputStream().read(new byte[512]) > 0, "no response bytes before leaving");
            assertTrue(upstreamSent.await(5, TimeUnit.SECONDS), "upstream sent nothing");
            socket.setSoLinger(true, 0);
            return System.nanoTime();
        }
    }
}
