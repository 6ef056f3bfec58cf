package dev.proxylitellm.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis ({@code redis-server} from the machine's packages; {@code .ci/run} installs it) on a
 * free loopback port, without persistence, for the tests of limits shared through Redis. It can be
 * stopped and started again on the same port, to test an outage.
 */
public final class RedisProcess implements AutoCloseable
{
    private final int port;
    private final int tlsPort;
    private final List<String> tlsOptions;
    private Process process;

    private RedisProcess(int port, int tlsPort, List<String> tlsOptions)
    {
        this.port = port;
        this.tlsPort = tlsPort;
        this.tlsOptions = tlsOptions;
    }

    /**
     * Also listening for TLS ({@code rediss://}), with the test CA's server certificate (its key
     * taken out of the PKCS12 store with openssl, as redis-server reads PEM).
     */
    public static RedisProcess startTls() throws Exception
    {
        TestCertificates certificates = TestCertificates.get();
        Path key = certificates.caPem().resolveSibling("server-key.pem");
        if (!Files.exists(key))
        {
            Process openssl = new ProcessBuilder("openssl", "pkcs12", "-in", certificates.serverKeyStore().toString(), "-nocerts", "-nodes",
                "-passin", "pass:" + TestCertificates.PASSWORD, "-out", key.toString()).redirectErrorStream(true).start();
            if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0)
                throw new IllegalStateException("openssl could not extract the test key: " + new String(openssl.getInputStream().readAllBytes()));
        }
        RedisProcess redis = new RedisProcess(freePort(), freePort(), List.of("--tls-cert-file",
            certificates.caPem().resolveSibling("server.pem").toString(), "--tls-key-file", key.toString(),
            "--tls-ca-cert-file", certificates.caPem().toString(), "--tls-auth-clients", "no"));
        redis.startAgain();
        return redis;
    }

    /** The {@code rediss://} URL of the TLS port. */
    public URI tlsUrl()
    {
        return URI.create("rediss://127.0.0.1:" + tlsPort);
    }

    public static RedisProcess start() throws Exception
    {
        RedisProcess redis = new RedisProcess(freePort(), 0, List.of());
        redis.startAgain();
        return redis;
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
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
            List<String> command = new java.util.ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no"));
            if (tlsPort > 0)
            {
                command.addAll(List.of("--tls-port", Integer.toString(tlsPort)));
                command.addAll(tlsOptions);
            }
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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
