package dev.proxylitellm.http;

import dev.proxylitellm.errors.Causes;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A diagnostic at DEBUG: notes which exchange first saw each client I/O exception object, and
 * says so when the same object reaches another exchange — the signature of a container handing
 * one connection's failure to the next one through a recycled processor (see
 * {@code docs/known-issues/tomcat-processor-recycling.md}). Costs nothing below DEBUG.
 */
final class SharedFailures
{
    private static final Logger LOG = LoggerFactory.getLogger(SharedFailures.class);
    /** Weak keys: an exception is forgotten with its last reference. Throwable compares by identity. */
    private static final Map<Throwable, String> FIRST_SEEN = Collections.synchronizedMap(new WeakHashMap<>());

    private SharedFailures()
    {
    }

    static void note(Exchange exchange, Throwable failure)
    {
        if (failure == null || !LOG.isDebugEnabled())
            return;
        for (Throwable t : Causes.of(failure))
        {
            String first = FIRST_SEEN.putIfAbsent(t, exchange.requestId());
            if (first != null && !first.equals(exchange.requestId()))
                LOG.debug("{} {} (request {}) failed with the very {} that request {} saw first: cross-talk between connections",
                    exchange.method(), exchange.path(), exchange.requestId(), t.getClass().getName(), first);
        }
    }
}
