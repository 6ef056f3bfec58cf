package dev.proxylitellm.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Makes each event of a stream reach clients that read whole chunks (Python's urllib3, hence
 * {@code requests}) when upstream sends it, on Jetty. Jetty's HTTP/1.1 generator sends the CRLF
 * that closes a chunk only with the next chunk (Jetty issue #154), and such a client hands a
 * chunk's data over only once that CRLF has come: each event would arrive one event late. For
 * those clients (told by their {@code User-Agent}) an empty SSE comment line, written as a chunk
 * of its own right after each event, carries the event chunk's CRLF at once; SSE parsers ignore
 * comment lines. Other clients get upstream's bytes unchanged. The stream still ends with the
 * terminating chunk only when upstream's did, so a cut stream never looks complete.
 */
public final class ChunkCloser
{
    /** Only ever read: writers copy from it, nothing writes into it. */
    private static final byte[] COMMENT = ":\n".getBytes(StandardCharsets.US_ASCII);

    private ChunkCloser()
    {
    }

    /** Whether a client with this {@code User-Agent} hands over a chunk only with its closing CRLF. */
    public static boolean helps(String userAgent)
    {
        return userAgent != null && (userAgent.startsWith("python-requests/") || userAgent.startsWith("python-urllib3/"));
    }

    /** A fresh view of the two-byte comment line {@code ":\n"}, to be written as a chunk of its own. */
    public static ByteBuffer comment()
    {
        return ByteBuffer.wrap(COMMENT);
    }
}
