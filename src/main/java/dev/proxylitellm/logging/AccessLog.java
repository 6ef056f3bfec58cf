package dev.proxylitellm.logging;

import dev.proxylitellm.http.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the one INFO line per request: method, path (never the query), status, upstream status,
 * upstream time to first byte, total time, bytes in and out, and how it ended. Bodies and headers
 * are never part of it.
 */
public final class AccessLog
{
    private static final Logger LOG = LoggerFactory.getLogger("dev.proxylitellm.access");

    private AccessLog()
    {
    }

    public static void log(Exchange exchange, int status, Exchange.Outcome outcome)
    {
        if (!exchange.finish() || !LOG.isInfoEnabled())
            return;
        long ttfb = exchange.upstreamTtfbMillis();
        int upstream = exchange.upstreamStatus();
        LOG.info("{} {} {} client={} upstream={} ttfb={} total={}ms in={}B out={}B outcome={}",
            exchange.method(), exchange.path(), status, exchange.client() == null ? "-" : exchange.client(),
            upstream == 0 ? "-" : upstream,
            ttfb < 0 ? "-" : ttfb + "ms",
            exchange.elapsedMillis(), exchange.bytesIn(), exchange.bytesOut(), outcome);
    }
}
