package dev.proxylitellm.http;

import java.util.concurrent.atomic.AtomicInteger;

/** At most {@code max} requests proxied at once ({@code MAX_CONCURRENT_REQUESTS}); 0 means no limit. */
public final class ConcurrencyLimit
{
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ConcurrencyLimit(int max)
    {
        this.max = max;
    }

    public boolean isLimited()
    {
        return max > 0;
    }

    /** Takes a permit if one is free. */
    public boolean tryAcquire()
    {
        while (true)
        {
            int current = inFlight.get();
            if (current >= max)
                return false;
            if (inFlight.compareAndSet(current, current + 1))
                return true;
        }
    }

    public void release()
    {
        inFlight.decrementAndGet();
    }

    public int inFlight()
    {
        return inFlight.get();
    }
}
