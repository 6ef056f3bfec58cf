package dev.proxylitellm.http;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/**
 * Hears from the container what happens to the client's connection. Tomcat reports a client that
 * went away through {@code onError} and may then finish and recycle the request on its own; the
 * upstream request is aborted at once, and the exchange remembers not to touch the recycled
 * objects again. Each callback holds the exchange's client lock (see {@link Exchange#lockClient}),
 * so the container recycles nothing while a write to this client is still under way.
 */
public final class ClientConnectionListener implements AsyncListener
{
    private final Exchange exchange;

    public ClientConnectionListener(Exchange exchange)
    {
        this.exchange = exchange;
    }

    @Override
    public void onComplete(AsyncEvent event)
    {
        exchange.withClientLock(exchange::containerDone);
        // A safety net: every exchange ends here at the latest, so its log line and permit are never lost.
        exchange.complete(exchange.upstreamStatus(), Exchange.Outcome.CLIENT_ABORT);
    }

    @Override
    public void onError(AsyncEvent event)
    {
        exchange.withClientLock(() -> exchange.clientFailed(event.getThrowable()));
        exchange.abortUpstream(event.getThrowable());
    }

    @Override
    public void onTimeout(AsyncEvent event)
    {
        // The proxy sets no async timeout (upstream's idle timeout bounds every exchange); should a
        // container time out anyway, the request is done with.
        exchange.withClientLock(exchange::containerDone);
    }

    @Override
    public void onStartAsync(AsyncEvent event)
    {
        // Nothing to do: the proxy starts async once per request.
    }
}
