package dev.proxylitellm.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.servlet.ReadListener;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleasingReadListenerTest
{
    /** Records the events it hears. */
    private static final class Reader implements ReadListener
    {
        final List<String> heard = new ArrayList<>();

        @Override
        public void onDataAvailable()
        {
            heard.add("data");
        }

        @Override
        public void onAllDataRead()
        {
            heard.add("end");
        }

        @Override
        public void onError(Throwable failure)
        {
            heard.add("error:" + failure.getMessage());
        }
    }

    @Test
    void everyEventUpToTheEndOfTheBodyReachesTheReader() throws Exception
    {
        Reader reader = new Reader();
        ReleasingReadListener listener = new ReleasingReadListener(reader);

        listener.onDataAvailable();
        listener.onDataAvailable();
        listener.onAllDataRead();

        assertEquals(List.of("data", "data", "end"), reader.heard);
    }

    @Test
    void aFailureReachesTheReaderOnce()
    {
        Reader reader = new Reader();
        ReleasingReadListener listener = new ReleasingReadListener(reader);

        listener.onError(new IllegalStateException("reset"));
        listener.onError(new IllegalStateException("again"));

        assertEquals(List.of("error:reset"), reader.heard);
    }

    @Test
    void theReaderCanBeCollectedOnceTheBodyIsRead() throws Exception
    {
        Reader reader = new Reader();
        WeakReference<Reader> collectable = new WeakReference<>(reader);
        ReleasingReadListener listener = new ReleasingReadListener(reader);
        listener.onAllDataRead();
        reader = null;

        // The listener, which the container keeps until the response ends, no longer holds it.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (collectable.get() != null && System.nanoTime() < deadline)
        {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(collectable.get());
        listener.onDataAvailable();
    }
}
