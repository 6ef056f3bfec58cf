package dev.proxylitellm.metrics;

import dev.proxylitellm.http.Exchange;
import org.eclipse.jetty.client.HttpClient;

/**
 * What the proxy tells its metrics about exchanges; {@link #NONE} when metrics are turned off, so
 * the proxy's code paths are the same either way.
 */
public interface ExchangeMetrics
{
    ExchangeMetrics NONE = new ExchangeMetrics()
    {
    };

    /** Whether responses should be watched for token usage. */
    default boolean observesUsage()
    {
        return false;
    }

    /** A request to /v1 arrived. */
    default void started()
    {
    }

    /** The response of a started exchange turned out to be an event stream. */
    default void streamStarted()
    {
    }

    /** A started exchange ended, once. */
    default void completed(Exchange exchange)
    {
    }

    /** The upstream exchange failed; {@code kind} as {@code UpstreamFailures.kind} names it. */
    default void upstreamError(String kind)
    {
    }

    /** A call of {@code client} was refused by its {@code kind} limit: requests, tokens or concurrent. */
    default void rateLimited(String client, String kind)
    {
    }

    /** The RATE_LIMITS counters' store (Redis) became unavailable (false) or available again (true). */
    default void rateLimiterAvailable(boolean available)
    {
    }

    /** A realtime WebSocket session opened. */
    default void realtimeOpened()
    {
    }

    /** A realtime session that {@link #realtimeOpened()} ended, once. */
    default void realtimeClosed()
    {
    }

    /** A realtime message relayed; {@code direction} is client_to_upstream or upstream_to_client. */
    default void realtimeFrame(String direction, int bytes)
    {
    }

    /** Publishes the state of the upstream client. */
    default void watch(HttpClient client)
    {
    }
}
