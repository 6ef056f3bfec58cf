package dev.proxylitellm.errors;

import java.util.ArrayList;
import java.util.List;

/** A failure and its causes, outermost first, each once (a cause chain may loop back on itself). */
public final class Causes
{
    private Causes()
    {
    }

    public static List<Throwable> of(Throwable failure)
    {
        List<Throwable> chain = new ArrayList<>(4);
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause())
            chain.add(t);
        return chain;
    }
}
