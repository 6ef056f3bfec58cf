package dev.proxylitellm.logging;

import dev.proxylitellm.http.Exchange;
import dev.proxylitellm.usage.TokenUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes the one INFO line per request when it has ended (a stream when its last event is out):
 * method, path (never the query), route, status, upstream status, upstream time to first byte,
 * total time, bytes in and out, model, tokens, events of a stream, and how it ended. Every field
 * is also attached as a key-value pair, which {@code LOG_FORMAT=json} writes as structured data.
 * Bodies and headers are never part of it.
 */
public final class AccessLog
{
    /** The MDC key under which every log line of a request carries its id. */
    public static final String REQUEST_ID = "request_id";

    private static final Logger LOG = LoggerFactory.getLogger("dev.proxylitellm.access");
    /** Whether lines also carry their fields as key-value pairs: only JSON output shows them. */
    private static volatile boolean keyValues;

    private AccessLog()
    {
    }

    /** Set when logging is configured: true for {@code LOG_FORMAT=json}. */
    static void keyValues(boolean enabled)
    {
        keyValues = enabled;
    }

    public static void log(Exchange exchange)
    {
        if (!LOG.isInfoEnabled())
            return;
        // The line is written on whichever thread ended the exchange, so the id is put there too.
        withRequestId(exchange.requestId(), () -> write(exchange));
    }

    /** Runs {@code action} with {@code requestId} in the MDC, then restores what the thread had. */
    static void withRequestId(String requestId, Runnable action)
    {
        String previous = MDC.get(REQUEST_ID);
        MDC.put(REQUEST_ID, requestId);
        try
        {
            action.run();
        }
        finally
        {
            if (previous == null)
                MDC.remove(REQUEST_ID);
            else
                MDC.put(REQUEST_ID, previous);
        }
    }

    private static void write(Exchange exchange)
    {
        long ttfb = exchange.upstreamTtfbMillis();
        int upstream = exchange.upstreamStatus();
        String client = exchange.client() == null ? "-" : exchange.client();
        String model = exchange.model() == null ? "-" : exchange.model();
        TokenUsage tokens = exchange.tokens();
        boolean stream = exchange.eventStream() != null;
        StringBuilder line = new StringBuilder(160)
            .append(exchange.method()).append(' ').append(exchange.path()).append(' ').append(exchange.status())
            .append(" route=").append(exchange.route())
            .append(" client=").append(client)
            .append(" upstream=").append(upstream == 0 ? "-" : Integer.toString(upstream))
            .append(" ttfb=").append(ttfb < 0 ? "-" : ttfb + "ms")
            .append(" total=").append(exchange.elapsedMillis()).append("ms")
            .append(" in=").append(exchange.bytesIn()).append('B')
            .append(" out=").append(exchange.bytesOut()).append('B')
            .append(" model=").append(model)
            .append(" tokens=").append(tokens);
        if (stream)
            line.append(" events=").append(exchange.events());
        line.append(" outcome=").append(exchange.outcome());
        if (!keyValues)
        {
            LOG.info(line.toString());
            return;
        }
        // The request id is the MDC's request_id field.
        LoggingEventBuilder event = LOG.atInfo()
            .addKeyValue("client", client)
            .addKeyValue("method", exchange.method())
            .addKeyValue("path", exchange.path())
            .addKeyValue("route", exchange.route())
            .addKeyValue("status", exchange.status())
            .addKeyValue("upstream_status", upstream)
            .addKeyValue("ttfb_ms", ttfb)
            .addKeyValue("duration_ms", exchange.elapsedMillis())
            .addKeyValue("bytes_in", exchange.bytesIn())
            .addKeyValue("bytes_out", exchange.bytesOut())
            .addKeyValue("model", model)
            .addKeyValue("prompt_tokens", tokens.prompt())
            .addKeyValue("completion_tokens", tokens.completion())
            .addKeyValue("total_tokens", tokens.isKnown() ? tokens.effectiveTotal() : -1)
            .addKeyValue("stream", stream);
        if (stream)
            event = event.addKeyValue("events", exchange.events());
        event.addKeyValue("outcome", exchange.outcome().toString()).log(line.toString());
    }
}
