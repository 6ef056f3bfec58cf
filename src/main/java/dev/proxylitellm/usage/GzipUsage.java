package dev.proxylitellm.usage;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.GZIPContentDecoder;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * Usage from a gzip-encoded body (upstreams that compress JSON when the client accepts it): the
 * bytes that pass are inflated on the side, a window at a time, for the observer of the decoded
 * body, while the client still gets them compressed as they came. A corrupt stream stops the
 * observation, never the response.
 */
final class GzipUsage implements UsageObserver
{
    private static final int WINDOW = 8192;

    private final UsageObserver decoded;
    private final GZIPContentDecoder decoder = new GZIPContentDecoder(WINDOW)
    {
        @Override
        protected boolean decodedChunk(RetainableByteBuffer chunk)
        {
            decoded.observe(chunk.getByteBuffer());
            return false;
        }
    };
    private boolean failed;

    GzipUsage(UsageObserver decoded)
    {
        this.decoded = decoded;
    }

    @Override
    public void observe(ByteBuffer bytes)
    {
        if (failed || !bytes.hasRemaining())
            return;
        try
        {
            decoder.decode(bytes.slice()).release();
        }
        catch (RuntimeException corrupt)
        {
            failed = true;
        }
    }

    @Override
    public void end()
    {
        decoded.end();
        decoder.destroy();
    }

    @Override
    public String model()
    {
        return decoded.model();
    }

    @Override
    public TokenUsage usage()
    {
        return decoded.usage();
    }

    @Override
    public int events()
    {
        return decoded.events();
    }
}
