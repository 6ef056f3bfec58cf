package dev.proxylitellm.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what a normal client refuses to send (hop-by-hop headers,
 * dot segments, malformed bytes) and for reading a response exactly as it came off the wire,
 * including whether a chunked body was properly terminated.
 */
public final class RawHttp
{
    private RawHttp()
    {
    }

    /** A response read until the server closed the connection (or ten seconds passed). */
    public record RawResponse(int status, List<String> headerLines, byte[] body, boolean complete, String raw)
    {
        /** The first value of header {@code name}, or null. */
        public String header(String name)
        {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String line : headerLines)
            {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    return line.substring(prefix.length()).trim();
            }
            return null;
        }

        public List<String> headers(String name)
        {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            List<String> values = new ArrayList<>();
            for (String line : headerLines)
            {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    values.add(line.substring(prefix.length()).trim());
            }
            return values;
        }

        public String bodyText()
        {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code request} as it is (ISO-8859-1 bytes) and reads the response until close. */
    public static RawResponse send(int port, String request) throws IOException
    {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static RawResponse send(int port, byte[] request) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** Reads a request's head up to its blank line; false when the connection ended first. */
    public static boolean skipRequestHead(InputStream in) throws IOException
    {
        int matched = 0;
        while (matched < 4)
        {
            int b = in.read();
            if (b < 0)
                return false;
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return true;
    }

    /** Reads one response; stops at its end (length or last chunk) or when the connection closes. */
    public static RawResponse read(InputStream in) throws IOException
    {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        String head = readHead(in, all);
        while (head.startsWith("HTTP/1.1 1") && !head.startsWith("HTTP/1.1 101"))
            head = readHead(in, all);
        String[] lines = head.split("\r\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/"))
            return new RawResponse(-1, List.of(), new byte[0], false, all.toString(StandardCharsets.ISO_8859_1));
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<String> headerLines = List.of(lines).subList(1, lines.length);
        RawResponse headersOnly = new RawResponse(status, headerLines, new byte[0], true, "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete;
        String transferEncoding = headersOnly.header("Transfer-Encoding");
        String contentLength = headersOnly.header("Content-Length");
        try
        {
            if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked"))
                complete = readChunked(in, body, all);
            else if (contentLength != null)
                complete = readFixed(in, body, all, Long.parseLong(contentLength));
            else if (status == 204 || status == 304)
                complete = true;
            else
                complete = readToClose(in, body, all);
        }
        catch (IOException x)
        {
            complete = false;
        }
        return new RawResponse(status, headerLines, body.toByteArray(), complete, all.toString(StandardCharsets.ISO_8859_1));
    }

    private static String readHead(InputStream in, ByteArrayOutputStream all) throws IOException
    {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            int b = in.read();
            if (b < 0)
                break;
            head.write(b);
            all.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean readFixed(InputStream in, ByteArrayOutputStream body, ByteArrayOutputStream all, long length) throws IOException
    {
        byte[] buffer = new byte[8192];
        long remaining = length;
        while (remaining > 0)
        {
            int read = in.read(buffer, 0, (int)Math.min(buffer.length, remaining));
            if (read < 0)
                return false;
            body.write(buffer, 0, read);
            all.write(buffer, 0, read);
            remaining -= read;
        }
        return true;
    }

    private static boolean readToClose(InputStream in, ByteArrayOutputStream body, ByteArrayOutputStream all) throws IOException
    {
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0)
        {
            body.write(buffer, 0, read);
            all.write(buffer, 0, read);
        }
        return true;
    }

    private static boolean readChunked(InputStream in, ByteArrayOutputStream body, ByteArrayOutputStream all) throws IOException
    {
        while (true)
        {
            String sizeLine = readLine(in, all);
            if (sizeLine == null)
                return false;
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0)
            {
                String trailer;
                do
                {
                    trailer = readLine(in, all);
                    if (trailer == null)
                        return false;
                }
                while (!trailer.isEmpty());
                return true;
            }
            if (!readFixed(in, body, all, size))
                return false;
            if (readLine(in, all) == null)
                return false;
        }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream all) throws IOException
    {
        StringBuilder line = new StringBuilder();
        while (true)
        {
            int b;
            try
            {
                b = in.read();
            }
            catch (IOException x)
            {
                return null;
            }
            if (b < 0)
                return null;
            all.write(b);
            if (b == '\n')
            {
                int length = line.length();
                return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
            }
            line.append((char)b);
        }
    }
}
