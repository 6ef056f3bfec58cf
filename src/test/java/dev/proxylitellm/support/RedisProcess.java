package dev.proxylitellm.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis ({@code redis-server} from the machine's packages; {@code .ci/run} installs it) on a
 * free loopback port, without persistence, for the tests of limits shared through Redis. It can be
 * stopped and started again on the same port, to test an outage.
 */
public final class RedisProcess implements AutoCloseable
{
    private final int port;
    private Process process;

    private RedisProcess(int port)
    {
        this.port = port;
    }

    public static RedisProcess start() throws Exception
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort();
        }
        RedisProcess redis = new RedisProcess(port);
        redis.startAgain();
        return redis;
    }

    public URI url()
    {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Starts the server (again) on its port and waits until it answers PING. */
    public void startAgain() throws Exception
    {
        try
        {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }
        catch (IOException missing)
        {
            throw new IllegalStateException("redis-server is not installed: the tests of shared limits need Debian's redis-server "
                + "(.ci/run installs it; apt-get install redis-server)", missing);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answers())
        {
            if (System.nanoTime() > deadline || !process.isAlive())
                throw new IllegalStateException("redis-server did not answer on port " + port);
            Thread.sleep(20);
        }
    }

    private boolean answers()
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(5);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
        }
        catch (IOException notYet)
        {
            return false;
        }
    }

    /** Stops the server at once, as an outage would. */
    public void stop() throws InterruptedException
    {
        if (process != null)
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        stop();
    }
}
