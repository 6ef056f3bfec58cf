package dev.proxylitellm.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small forward proxy on a free loopback port, like a corporate one: it tunnels CONNECT
 * requests and forwards absolute-form requests, and records each request line and its
 * Proxy-Authorization header, so tests can tell that calls went through it.
 */
public final class RecordingForwardProxy implements AutoCloseable
{
    /** What the proxy saw of one request: its request line and Proxy-Authorization, if any. */
    public record Seen(String requestLine, String proxyAuthorization)
    {
    }

    private final ServerSocket server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public RecordingForwardProxy() throws IOException
    {
        server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread acceptor = new Thread(this::accept, "forward-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port()
    {
        return server.getLocalPort();
    }

    public List<Seen> seen()
    {
        return List.copyOf(seen);
    }

    private void accept()
    {
        while (!server.isClosed())
        {
            try
            {
                Socket client = server.accept();
                Thread handler = new Thread(() -> handle(client), "forward-proxy-connection");
                handler.setDaemon(true);
                handler.start();
            }
            catch (IOException closed)
            {
                return;
            }
        }
    }

    private void handle(Socket client)
    {
        try (client)
        {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            String authorization = null;
            StringBuilder forwarded = new StringBuilder();
            for (int i = 1; i < lines.length; i++)
            {
                if (lines[i].toLowerCase().startsWith("proxy-authorization:"))
                    authorization = lines[i].substring("proxy-authorization:".length()).trim();
                else if (!lines[i].isEmpty())
                    forwarded.append(lines[i]).append("\r\n");
            }
            seen.add(new Seen(lines[0], authorization));
            if (requestLine[0].equals("CONNECT"))
            {
                String[] hostPort = requestLine[1].split(":");
                try (Socket target = new Socket(hostPort[0], Integer.parseInt(hostPort[1])))
                {
                    client.getOutputStream().write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    pipe(client, target, new byte[0]);
                }
            }
            else
            {
                URI uri = URI.create(requestLine[1]);
                try (Socket target = new Socket(uri.getHost(), uri.getPort()))
                {
                    String originForm = requestLine[0] + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                        + " " + requestLine[2] + "\r\n" + forwarded + "\r\n";
                    pipe(client, target, originForm.getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }
        catch (IOException | RuntimeException gone)
        {
            // One side went away: the tunnel ends.
        }
    }

    /** Copies both ways until either side closes; {@code first} goes to the target before anything else. */
    private static void pipe(Socket client, Socket target, byte[] first) throws IOException
    {
        target.getOutputStream().write(first);
        Thread up = new Thread(() -> copy(client, target), "forward-proxy-up");
        up.setDaemon(true);
        up.start();
        copy(target, client);
    }

    private static void copy(Socket from, Socket to)
    {
        try
        {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16384];
            int read;
            while ((read = in.read(buffer)) >= 0)
            {
                out.write(buffer, 0, read);
                out.flush();
            }
        }
        catch (IOException ignored)
        {
            // Closed.
        }
        finally
        {
            try
            {
                from.close();
                to.close();
            }
            catch (IOException ignored)
            {
                // Already closed.
            }
        }
    }

    private static String readHead(InputStream in) throws IOException
    {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            int b = in.read();
            if (b < 0)
                throw new IOException("closed before the end of the request head");
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException
    {
        server.close();
    }
}
