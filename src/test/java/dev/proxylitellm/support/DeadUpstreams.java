package dev.proxylitellm.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstreams that fail before answering, as real sockets: a port nothing listens on, a host name
 * that does not resolve, a listener whose accept queue is full (so connecting times out), and a
 * listener that reads the request head and resets the connection.
 */
public final class DeadUpstreams
{
    /** The ways an upstream fails before its response headers. */
    public enum Fault
    {
        REFUSED, UNRESOLVABLE, CONNECT_TIMEOUT, RESET_BEFORE_HEADERS
    }

    private DeadUpstreams()
    {
    }

    /** A base URL on a loopback port that was free a moment ago and has no listener. */
    public static URI refused() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1");
        }
    }

    /** A base URL whose host name can never resolve (RFC 6761 reserves {@code .invalid}). */
    public static URI unresolvable()
    {
        return URI.create("http://upstream.invalid:8080/v1");
    }

    /** A listener that never accepts, its queue filled so that new connections are never completed. */
    public static final class Blackhole implements AutoCloseable
    {
        private final ServerSocket server;
        private final List<Socket> fillers = new ArrayList<>();

        public Blackhole() throws IOException
        {
            server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            // Linux completes backlog + 1 connections, then drops further SYNs: fill it up.
            for (int i = 0; i < 4; i++)
            {
                Socket filler = new Socket();
                try
                {
                    filler.connect(server.getLocalSocketAddress(), 200);
                    fillers.add(filler);
                }
                catch (IOException full)
                {
                    filler.close();
                    break;
                }
            }
        }

        public URI baseUrl()
        {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
        }

        @Override
        public void close() throws IOException
        {
            for (Socket filler : fillers)
                filler.close();
            server.close();
        }
    }

    /** A listener that reads each request's head and then resets the connection (SO_LINGER 0). */
    public static final class Resetting implements AutoCloseable
    {
        private final ServerSocket server;

        public Resetting() throws IOException
        {
            server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", 0), 50);
            Thread thread = new Thread(this::serve, "resetting-upstream");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve()
        {
            while (!server.isClosed())
            {
                try
                {
                    Socket socket = server.accept();
                    Thread one = new Thread(() -> resetAfterHead(socket), "resetting-upstream-connection");
                    one.setDaemon(true);
                    one.start();
                }
                catch (IOException closed)
                {
                    return;
                }
            }
        }

        private static void resetAfterHead(Socket socket)
        {
            try (socket)
            {
                if (RawHttp.skipRequestHead(socket.getInputStream()))
                    socket.setSoLinger(true, 0);
            }
            catch (IOException ignored)
            {
                // The proxy's answer is what the test reads.
            }
        }

        public URI baseUrl()
        {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
        }

        @Override
        public void close() throws IOException
        {
            server.close();
        }
    }
}
