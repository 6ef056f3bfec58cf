package dev.proxylitellm;

import dev.proxylitellm.errors.ErrorResponses;
import dev.proxylitellm.errors.OpenAiError;
import dev.proxylitellm.errors.UpstreamFailures;
import dev.proxylitellm.http.Exchange;
import dev.proxylitellm.logging.ExchangeDebugLog;
import dev.proxylitellm.metrics.ExchangeMetrics;
import dev.proxylitellm.stream.BrokenResponses;
import dev.proxylitellm.stream.EventSink;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Answers the client of an exchange that failed, once, whichever side failed first: a client that
 * left gets nothing; one whose response has not started gets the OpenAI-shaped error (502, 504,
 * or the 4xx of its own malformed body); an event stream under way gets a final error event and
 * then a broken connection; any other body under way only a broken connection. So a truncated
 * answer never passes for a complete one, and every failure is logged and counted once.
 */
final class FailedExchanges
{

    private final ExchangeMetrics metrics;
    private final ExchangeDebugLog debugLog;

    FailedExchanges(ExchangeMetrics metrics, ExchangeDebugLog debugLog)
    {
        this.metrics = metrics;
        this.debugLog = debugLog;
    }

    void answer(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Exchange exchange, Throwable failure)
    {
        exchange.withClientLock(() -> answerLocked(clientRequest, proxyResponse, exchange, failure));
    }

    private void answerLocked(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Exchange exchange, Throwable failure)
    {
        if (!exchange.claimResponse())
            return;
        if (exchange.isContainerDone())
        {
            // The container has finished with (and may have recycled) the request: touch nothing.
            exchange.complete(exchange.upstreamStatus(), Exchange.Outcome.CLIENT_ABORT);
            return;
        }
        if (exchange.hasClientFailed())
        {
            // The client is gone: nothing more to send, but the async cycle must still end (Jetty
            // waits for it; Tomcat may have ended it already, which completeQuietly tolerates).
            exchange.complete(exchange.upstreamStatus(), Exchange.Outcome.CLIENT_ABORT);
            completeQuietly(clientRequest);
            return;
        }
        OpenAiError invalid = exchange.invalidClientRequest();
        if (invalid == null)
            metrics.upstreamError(UpstreamFailures.kind(failure));
        OpenAiError error = invalid != null ? invalid : UpstreamFailures.classify(failure);
        Exchange.Outcome outcome = invalid != null ? Exchange.Outcome.REJECTED
            : error.status() == 504 ? Exchange.Outcome.UPSTREAM_TIMEOUT : Exchange.Outcome.UPSTREAM_ERROR;
        debugLog.failed(exchange, error.code(), failure);
        EventSink sink = exchange.sink();
        if (sink != null && exchange.eventStream() != null)
        {
            // OpenAI SDKs raise on an error event; clients that ignore it still see the connection break.
            exchange.complete(proxyResponse.getStatus(), outcome);
            sink.send(exchange.eventStream().separator() + "data: " + error.toJson() + "\n\n", () -> breakOff(clientRequest, proxyResponse, exchange));
            return;
        }
        if (proxyResponse.isCommitted() || exchange.bytesOut() > 0)
        {
            exchange.complete(proxyResponse.getStatus(), outcome);
            breakOff(clientRequest, proxyResponse, exchange);
            return;
        }
        // Counted and its permit freed before the client can read the error and call again.
        exchange.complete(error.status(), outcome);
        try
        {
            proxyResponse.setHeader(HttpHeader.CONNECTION.asString(), "close");
            ErrorResponses.write(proxyResponse, error);
        }
        catch (IOException | IllegalStateException x)
        {
            // The client left while the error was being written: the exchange is already logged and counted.
        }
        completeQuietly(clientRequest);
    }

    /** Part of the body is out: only a broken connection tells the client it is incomplete. */
    private static void breakOff(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Exchange exchange)
    {
        exchange.withClientLock(() ->
        {
            if (!exchange.isContainerDone() && !BrokenResponses.abort(clientRequest, proxyResponse))
                completeQuietly(clientRequest);
        });
    }

    private static void completeQuietly(HttpServletRequest clientRequest)
    {
        try
        {
            if (clientRequest.isAsyncStarted())
                clientRequest.getAsyncContext().complete();
        }
        catch (IllegalStateException alreadyDone)
        {
            // The container completed (and may have recycled) the request after a client error.
        }
    }
}
