package dev.proxylitellm.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * A request whose body stream says it is finished only once the application has read all of it.
 * GlassFish's {@code isFinished()} turns true as soon as the whole body has <em>arrived</em>,
 * before anything was read: Jetty's proxy reader, which reads while {@code !isFinished()}, then
 * forwards nothing and upstream waits for a body that never comes (a POST hangs). Used on
 * GlassFish and Payara only; elsewhere the container's own answer is already right.
 */
public final class HonestBodyEnd extends HttpServletRequestWrapper
{
    private final Input input;

    public HonestBodyEnd(HttpServletRequest request) throws IOException
    {
        super(request);
        this.input = new Input(request.getInputStream(), request.getContentLengthLong());
    }

    /** Whether {@code serverInfo} names a server whose {@code isFinished()} runs ahead of the reads. */
    public static boolean needed(String serverInfo)
    {
        String server = serverInfo.toLowerCase(java.util.Locale.ROOT);
        return server.contains("glassfish") || server.contains("payara");
    }

    @Override
    public ServletInputStream getInputStream()
    {
        return input;
    }

    private static final class Input extends ServletInputStream
    {
        private final ServletInputStream delegate;
        private final long contentLength;
        private long read;
        private boolean endOfStream;

        private Input(ServletInputStream delegate, long contentLength)
        {
            this.delegate = delegate;
            this.contentLength = contentLength;
        }

        @Override
        public boolean isFinished()
        {
            return endOfStream || (contentLength >= 0 && read >= contentLength);
        }

        @Override
        public boolean isReady()
        {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener)
        {
            delegate.setReadListener(listener);
        }

        @Override
        public int read() throws IOException
        {
            int b = delegate.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException
        {
            int n = delegate.read(buffer, offset, length);
            count(n);
            return n;
        }

        private void count(int n)
        {
            if (n < 0)
                endOfStream = true;
            else
                read += n;
        }
    }
}
