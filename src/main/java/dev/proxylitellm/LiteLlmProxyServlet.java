package dev.proxylitellm;

import dev.proxylitellm.access.ClientAccessFilter;
import dev.proxylitellm.config.ProxyConfig;
import dev.proxylitellm.errors.ErrorResponses;
import dev.proxylitellm.errors.OpenAiError;
import dev.proxylitellm.http.ClientConnectionListener;
import dev.proxylitellm.http.ConcurrencyLimit;
import dev.proxylitellm.http.Exchange;
import dev.proxylitellm.http.FirstByteStages.Stage;
import dev.proxylitellm.http.HonestBodyEnd;
import dev.proxylitellm.http.ReleasingReadListener;
import dev.proxylitellm.limits.Admission;
import dev.proxylitellm.limits.RateLimitErrors;
import dev.proxylitellm.limits.RateLimiter;
import dev.proxylitellm.http.MalformedRequests;
import dev.proxylitellm.http.RequestBounds;
import dev.proxylitellm.http.RequestIds;
import dev.proxylitellm.logging.ExchangeDebugLog;
import dev.proxylitellm.metrics.ExchangeMetrics;
import dev.proxylitellm.stream.BrokenResponses;
import dev.proxylitellm.stream.ChunkCloser;
import dev.proxylitellm.stream.EventSink;
import dev.proxylitellm.stream.EventStreamTracker;
import dev.proxylitellm.stream.SseKeepAlive;
import dev.proxylitellm.target.InvalidTargetException;
import dev.proxylitellm.target.TargetRewriter;
import dev.proxylitellm.upstream.ClientAddressHeaders;
import dev.proxylitellm.upstream.ClientAttribution;
import dev.proxylitellm.upstream.CredentialHeaders;
import dev.proxylitellm.upstream.UpstreamClientSettings;
import dev.proxylitellm.upstream.UpstreamRoute;
import dev.proxylitellm.upstream.UpstreamTls;
import dev.proxylitellm.usage.UsageObserver;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.Callback;

/**
 * The reverse proxy: forwards {@code <ctx>/v1/*} to {@code LITELLM_BASE_URL} with the
 * organisation's credentials and {@code app_id}, streaming bodies both ways. It only overrides
 * the hooks of Jetty's {@link AsyncMiddleManServlet} that this product changes; the target
 * rules, header policy, errors and logging live in their own classes.
 */
public class LiteLlmProxyServlet extends AsyncMiddleManServlet
{
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
    private static final String ALLOW = String.join(", ", METHODS);
    private static final OpenAiError METHOD_NOT_ALLOWED = new OpenAiError(405, OpenAiError.INVALID_REQUEST, "method_not_allowed",
        "The proxy forwards only " + ALLOW + ".");
    private static final OpenAiError TOO_MANY_REQUESTS = new OpenAiError(429, OpenAiError.INVALID_REQUEST, "too_many_requests",
        "The proxy is handling as many requests as it is allowed to; retry shortly.");
    private static final OpenAiError SERVER_TOO_LARGE = new OpenAiError(413, OpenAiError.INVALID_REQUEST, "request_too_large",
        "The request body is larger than this server accepts (on WildFly, raise the HTTP listener's max-post-size).");
    private static final String REJECTION_ATTRIBUTE = LiteLlmProxyServlet.class.getName() + ".rejection";
    private static final String SERVLET_PATH = "/v1";
    private static final int EVENT_STREAM_BUFFER_BYTES = 4096;

    private ProxyConfig config;
    private TargetRewriter targets;
    private CredentialHeaders credentials;
    private ConcurrencyLimit concurrency;
    private ExchangeMetrics metrics;
    private boolean closeEventChunks;
    private boolean honestBodyEnd;
    private ClientAttribution attribution;
    private RateLimiter rateLimiter;
    private OpenAiError tooLarge;
    private FailedExchanges failures;
    private RequestBounds bounds;
    private ExchangeDebugLog debugLog;

    @Override
    public void init(ServletConfig servletConfig) throws ServletException
    {
        config = (ProxyConfig)servletConfig.getServletContext().getAttribute(ProxyConfig.class.getName());
        if (config == null)
            throw new UnavailableException("No proxy-litellm configuration: the ProxyBootstrap listener must run first");
        targets = new TargetRewriter(config.baseUrl(), config.appId());
        credentials = new CredentialHeaders(config);
        concurrency = new ConcurrencyLimit(config.maxConcurrentRequests());
        metrics = ProxyBootstrap.metrics(servletConfig.getServletContext());
        attribution = new ClientAttribution(config.clientIdHeader());
        rateLimiter = config.rateLimits().isEmpty() ? null
            : new RateLimiter(config.rateLimits(), config.rateLimitRedis(), metrics::rateLimiterAvailable);
        debugLog = new ExchangeDebugLog(credentials.strippedNames());
        failures = new FailedExchanges(metrics, debugLog);
        bounds = new RequestBounds(config.maxRequestTargetBytes(), config.maxHeaderBytes());
        String server = servletConfig.getServletContext().getServerInfo().toLowerCase(java.util.Locale.ROOT);
        closeEventChunks = server.contains("jetty");
        honestBodyEnd = HonestBodyEnd.needed(server);
        tooLarge = new OpenAiError(413, OpenAiError.INVALID_REQUEST, "request_too_large",
            "The request body is larger than this proxy accepts (" + config.maxRequestBytes() + " bytes).");
        super.init(new UpstreamClientSettings(servletConfig, config));
    }

    @Override
    protected HttpClient newHttpClient()
    {
        HttpClient client = super.newHttpClient();
        client.setConnectTimeout(config.connectTimeoutMs());
        // Every concurrent stream needs a connection; requests beyond the pool wait here rather than fail.
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, config.maxConnections() * 4));
        // Upstream sees the client's User-Agent, or none: not the proxy's library and version.
        client.setUserAgentField(null);
        UpstreamRoute.apply(client, config.upstreamProxy());
        metrics.watch(client);
        return client;
    }

    /** HTTP/1.1, and HTTP/2 where an https upstream offers it through ALPN (never h2c). */
    @Override
    protected HttpClient newHttpClient(ClientConnector connector)
    {
        if (!config.http2())
            return new HttpClient(new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11));
        ClientConnectionFactoryOverHTTP2.HTTP2 http2 = new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector));
        return new HttpClient(new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11, http2));
    }

    @Override
    protected ClientConnector newClientConnector()
    {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(UpstreamTls.sslContextFactory(config.trustAnchors()));
        return connector;
    }

    @Override
    public void destroy()
    {
        if (rateLimiter != null)
            rateLimiter.close();
        super.destroy();
    }

    @Override
    protected void service(HttpServletRequest clientRequest, HttpServletResponse proxyResponse) throws ServletException, IOException
    {
        BrokenResponses.rethrow(clientRequest);
        Exchange exchange = exchange(clientRequest);
        exchange.client((String)clientRequest.getAttribute(ClientAccessFilter.CLIENT_IDENTITY));
        if (!METHODS.contains(clientRequest.getMethod()))
        {
            proxyResponse.setHeader("Allow", ALLOW);
            reject(proxyResponse, exchange, METHOD_NOT_ALLOWED);
            return;
        }
        OpenAiError outOfBounds = bounds.check(clientRequest);
        if (outOfBounds != null)
        {
            proxyResponse.setHeader(HttpHeader.CONNECTION.asString(), "close");
            reject(proxyResponse, exchange, outOfBounds);
            return;
        }
        if (clientRequest.getContentLengthLong() > config.maxRequestBytes())
        {
            proxyResponse.setHeader(HttpHeader.CONNECTION.asString(), "close");
            reject(proxyResponse, exchange, tooLarge);
            return;
        }
        if (concurrency.isLimited())
        {
            if (!concurrency.tryAcquire())
            {
                proxyResponse.setHeader("Retry-After", "1");
                reject(proxyResponse, exchange, TOO_MANY_REQUESTS);
                return;
            }
            exchange.onFinish(concurrency::release);
        }
        if (!admitted(exchange, proxyResponse))
            return;
        if (!hasContent(clientRequest))
            exchange.stages().reached(Stage.REQUEST_READ);
        super.service(clientRequest, proxyResponse);
        listenToTheClientConnection(clientRequest, exchange);
    }

    /**
     * Applies the client's RATE_LIMITS: refused calls get 429 with OpenAI's shape and retry
     * headers; admitted ones carry the x-ratelimit-* headers, give back their concurrency slot
     * when the client has its answer, and are charged their tokens once their usage is known.
     */
    private boolean admitted(Exchange exchange, HttpServletResponse proxyResponse) throws IOException
    {
        if (rateLimiter == null)
            return true;
        Admission admission = rateLimiter.admit(exchange.client());
        admission.headers().forEach(proxyResponse::setHeader);
        if (!admission.admitted())
        {
            if (!admission.refusedOn().equals("unavailable"))
                metrics.rateLimited(exchange.client(), admission.refusedOn());
            proxyResponse.setHeader("Retry-After", Long.toString(Math.max(1, (admission.retryAfterMs() + 999) / 1000)));
            proxyResponse.setHeader("retry-after-ms", Long.toString(admission.retryAfterMs()));
            reject(proxyResponse, exchange, RateLimitErrors.of(admission));
            return false;
        }
        if (!admission.headers().isEmpty())
            exchange.ownRateLimitHeaders(true);
        exchange.onFinish(admission.release());
        if (config.rateLimits().limitsTokens())
            exchange.onComplete(() -> rateLimiter.chargeTokens(exchange.client(), exchange.tokens().effectiveTotal()));
        return true;
    }

    private static void listenToTheClientConnection(HttpServletRequest clientRequest, Exchange exchange)
    {
        try
        {
            if (clientRequest.isAsyncStarted())
                clientRequest.getAsyncContext().addListener(new ClientConnectionListener(exchange));
        }
        catch (IllegalStateException alreadyComplete)
        {
            // The exchange finished before the listener could be added: there is nothing to hear.
        }
    }

    @Override
    protected Request newProxyRequest(HttpServletRequest clientRequest, String rewrittenTarget)
    {
        Request proxyRequest = super.newProxyRequest(clientRequest, rewrittenTarget);
        Exchange exchange = exchange(clientRequest);
        exchange.proxyRequest(proxyRequest);
        proxyRequest.onRequestSuccess(sent -> exchange.stages().reached(Stage.UPSTREAM_SENT));
        return proxyRequest;
    }

    @Override
    protected Response.CompleteListener newProxyResponseListener(HttpServletRequest clientRequest, HttpServletResponse proxyResponse)
    {
        return new GuardedResponseListener(clientRequest, proxyResponse);
    }

    @Override
    protected String rewriteTarget(HttpServletRequest clientRequest)
    {
        // The raw URI, not getPathInfo(): decoding would change what upstream receives.
        String uri = clientRequest.getRequestURI();
        String prefix = clientRequest.getContextPath() + SERVLET_PATH;
        try
        {
            if (!uri.startsWith(prefix))
                throw new InvalidTargetException(OpenAiError.invalidPath("The request path must start with /v1/, unencoded."));
            return targets.rewrite(uri.substring(prefix.length()), clientRequest.getQueryString());
        }
        catch (InvalidTargetException x)
        {
            clientRequest.setAttribute(REJECTION_ATTRIBUTE, x.error());
            return null;
        }
    }

    @Override
    protected void onProxyRewriteFailed(HttpServletRequest clientRequest, HttpServletResponse proxyResponse)
    {
        OpenAiError error = (OpenAiError)clientRequest.getAttribute(REJECTION_ATTRIBUTE);
        try
        {
            reject(proxyResponse, exchange(clientRequest), error);
        }
        catch (IOException x)
        {
            _log.debug("Could not send the rejection", x);
        }
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest)
    {
        super.copyRequestHeaders(clientRequest, proxyRequest);
        proxyRequest.headers(credentials::stripClientCredentials);
        proxyRequest.headers(attribution::stripClientClaims);
    }

    @Override
    protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest)
    {
        super.addProxyHeaders(clientRequest, proxyRequest);
        proxyRequest.headers(credentials::inject);
        Exchange exchange = exchange(clientRequest);
        proxyRequest.headers(headers -> attribution.attribute(headers, exchange.client()));
        proxyRequest.headers(headers -> headers.put(RequestIds.HEADER, exchange.requestId()));
        if (ExchangeDebugLog.isEnabled())
            debugLog.forwarding(exchange, clientRequest.getRemoteAddr(), proxyRequest.getURI().toString(), proxyRequest.getHeaders());
    }

    /** With FORWARD_CLIENT_ADDRESS=false, upstream learns no client address: neither ours nor one a client sent. */
    @Override
    protected void addForwardedHeader(HttpServletRequest clientRequest, Request proxyRequest)
    {
        if (config.forwardClientAddress())
            super.addForwardedHeader(clientRequest, proxyRequest);
        else
            proxyRequest.headers(ClientAddressHeaders::remove);
    }

    /** Jetty's proxy logs several lines per chunk: under Jetty's name, so that only TRACE shows them. */
    @Override
    protected org.slf4j.Logger createLogger()
    {
        return org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty.ee10.proxy." + getClass().getSimpleName());
    }

    @Override
    protected void onServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse)
    {
        Exchange exchange = exchange(clientRequest);
        exchange.withClientLock(() ->
        {
            if (exchange.isContainerDone() || exchange.hasClientFailed())
                serverResponse.abort(new EofException("the client connection is gone"));
            else
                copyServerResponseHeaders(clientRequest, proxyResponse, serverResponse, exchange);
        });
    }

    private void copyServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse,
        Exchange exchange)
    {
        super.onServerResponseHeaders(clientRequest, proxyResponse, serverResponse);
        exchange.upstreamHeaders(serverResponse.getStatus());
        if (ExchangeDebugLog.isEnabled())
            debugLog.upstreamAnswered(exchange, serverResponse.getStatus(), serverResponse.getHeaders());
        // Renaming in filterServerResponseHeader is not possible: the base class keeps the original name.
        String upstreamId = serverResponse.getHeaders().get(RequestIds.HEADER);
        if (upstreamId != null && !upstreamId.equals(exchange.requestId()))
            proxyResponse.setHeader(RequestIds.UPSTREAM_HEADER, upstreamId);
        exchange.responseContentLength(serverResponse.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH));
        String contentType = serverResponse.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (metrics.observesUsage() || config.rateLimits().limitsTokens())
            exchange.usageObserver(UsageObserver.forResponse(serverResponse.getStatus(), contentType,
                serverResponse.getHeaders().get(HttpHeader.CONTENT_ENCODING)));
        if (EventStreamTracker.isEventStream(contentType))
        {
            proxyResponse.setHeader("X-Accel-Buffering", "no");
            // Every event is flushed, so a container's usual 32 KiB aggregation buffer, held for the
            // stream's whole life, only costs memory (5,000 held streams: peak RSS 688 -> 638 MiB).
            proxyResponse.setBufferSize(EVENT_STREAM_BUFFER_BYTES);
            exchange.eventStream(new EventStreamTracker());
            metrics.streamStarted();
        }
    }

    @Override
    protected HttpField filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse, HttpField field)
    {
        // The base class drops the standard hop-by-hop headers; RFC 9110 adds those named in Connection.
        if (serverResponse.getHeaders().contains(HttpHeader.CONNECTION, field.getName()))
            return null;
        // The client already has the proxy's id, the one in the logs (upstream's own, see onServerResponseHeaders).
        if (field.is(RequestIds.HEADER))
            return null;
        // The client's own limits, set by the proxy, replace those upstream has for the organisation's key.
        if (field.getLowerCaseName().startsWith("x-ratelimit-") && exchange(clientRequest).ownRateLimitHeaders())
            return null;
        return super.filterServerResponseHeader(clientRequest, serverResponse, field);
    }

    /** Counts the body and stops one that grows past MAX_REQUEST_BYTES without a Content-Length. */
    @Override
    protected ContentTransformer newClientRequestContentTransformer(HttpServletRequest clientRequest, Request proxyRequest)
    {
        Exchange exchange = exchange(clientRequest);
        long max = config.maxRequestBytes();
        return (input, finished, output) ->
        {
            exchange.addBytesIn(input.remaining());
            if (exchange.bytesIn() > max)
            {
                exchange.clientRequestInvalid(tooLarge);
                throw new IOException("request body larger than " + max + " bytes");
            }
            if (finished)
                exchange.stages().reached(Stage.REQUEST_READ);
            output.add(input);
        };
    }

    @Override
    protected ContentTransformer newServerResponseContentTransformer(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse)
    {
        Exchange exchange = exchange(clientRequest);
        EventStreamTracker stream = exchange.eventStream();
        UsageObserver usage = exchange.usageObserver();
        boolean closeChunks = stream != null && closeEventChunks && ChunkCloser.helps(clientRequest.getHeader("User-Agent"));
        return (input, finished, output) ->
        {
            exchange.addBytesOut(input.remaining());
            if (stream != null)
                stream.passed(input);
            if (usage != null)
            {
                usage.observe(input);
                if (finished)
                    usage.end();
            }
            output.add(input);
            if (closeChunks && input.hasRemaining() && stream.atEventBoundary())
                output.add(ChunkCloser.comment());
        };
    }

    @Override
    protected ReadListener newProxyReadListener(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest,
        AsyncRequestContent content)
    {
        if (!honestBodyEnd)
            return new ReleasingReadListener(super.newProxyReadListener(clientRequest, proxyResponse, proxyRequest, content));
        try
        {
            return new ReleasingReadListener(super.newProxyReadListener(new HonestBodyEnd(clientRequest), proxyResponse, proxyRequest, content));
        }
        catch (IOException x)
        {
            throw new java.io.UncheckedIOException(x);
        }
    }

    @Override
    protected ProxyWriter newProxyWriteListener(HttpServletRequest clientRequest, Response serverResponse)
    {
        return new ClientWriter(clientRequest, serverResponse);
    }

    /**
     * Flushes every write as soon as the output can take it, so each streamed event reaches the
     * client when upstream sent it. Responses with a length keep it (see {@link ClientWriter}),
     * so flushing them does not turn them into chunked ones. (Flushing only event streams was
     * tried: plain-call throughput did not change beyond the run-to-run noise of bench/run.)
     */
    @Override
    protected void writeProxyResponseContent(ServletOutputStream output, ByteBuffer content) throws IOException
    {
        super.writeProxyResponseContent(output, content);
        if (output.isReady())
            output.flush();
    }

    @Override
    protected void onProxyResponseSuccess(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse)
    {
        Exchange exchange = exchange(clientRequest);
        exchange.withClientLock(() ->
        {
            if (!exchange.claimResponse())
                return;
            if (exchange.isContainerDone())
            {
                exchange.complete(exchange.upstreamStatus(), Exchange.Outcome.CLIENT_ABORT);
                return;
            }
            exchange.complete(proxyResponse.getStatus(), Exchange.Outcome.OK);
            super.onProxyResponseSuccess(clientRequest, proxyResponse, serverResponse);
        });
    }

    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse, Throwable failure)
    {
        failures.answer(clientRequest, proxyResponse, exchange(clientRequest), failure);
    }

    /** The body sent upstream; when the upstream exchange fails, the body's failure is known to be upstream's. */
    @Override
    protected AsyncRequestContent newProxyRequestContent(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest)
    {
        Exchange exchange = exchange(clientRequest);
        return new AsyncRequestContent()
        {
            @Override
            public void fail(Throwable failure)
            {
                exchange.upstreamFailed(failure);
                super.fail(failure);
            }

            @Override
            public void fail(Throwable failure, boolean last)
            {
                exchange.upstreamFailed(failure);
                super.fail(failure, last);
            }
        };
    }

    @Override
    protected void onClientRequestFailure(HttpServletRequest clientRequest, Request proxyRequest, HttpServletResponse proxyResponse, Throwable failure)
    {
        Exchange exchange = exchange(clientRequest);
        if (ExchangeDebugLog.isEnabled())
            debugLog.clientFailed(exchange, failure);
        // Upstream failed while the body was on its way: the client is still there for the 502.
        if (exchange.isUpstreamFailure(failure))
            return;
        // When the proxy itself refused the body (too large), the client is still there for the error.
        if (exchange.invalidClientRequest() == null)
        {
            int malformed = MalformedRequests.status(failure);
            if (malformed == 413)
                exchange.clientRequestInvalid(SERVER_TOO_LARGE);
            else if (malformed > 0)
                exchange.clientRequestInvalid(new OpenAiError(malformed, OpenAiError.INVALID_REQUEST, "invalid_request_body",
                    "The request body could not be read: it is malformed or larger than allowed."));
            else
                exchange.clientFailed(failure);
        }
        exchange.withClientLock(() ->
        {
            if (exchange.isContainerDone())
                proxyRequest.abort(failure);
            else
                super.onClientRequestFailure(clientRequest, proxyRequest, proxyResponse, failure);
        });
    }

    private void reject(HttpServletResponse proxyResponse, Exchange exchange, OpenAiError error) throws IOException
    {
        exchange.complete(error.status(), Exchange.Outcome.REJECTED);
        ErrorResponses.write(proxyResponse, error);
    }

    private static Exchange exchange(HttpServletRequest clientRequest)
    {
        return (Exchange)clientRequest.getAttribute(Exchange.ATTRIBUTE);
    }

    /**
     * Stops relaying once the container has finished with the client request on its own (after
     * a client I/O error, Tomcat completes and recycles it): the request and response objects
     * then belong to another exchange, so upstream is aborted and nothing of theirs is touched.
     */
    private final class GuardedResponseListener extends ProxyResponseListener
    {
        private final Exchange exchange;

        private GuardedResponseListener(HttpServletRequest clientRequest, HttpServletResponse proxyResponse)
        {
            super(clientRequest, proxyResponse);
            this.exchange = exchange(clientRequest);
        }

        @Override
        public void onContent(Response serverResponse, Content.Chunk chunk, Runnable demander)
        {
            if (exchange.hasClientFailed() || exchange.isContainerDone())
            {
                serverResponse.abort(new EofException("the client connection is gone"));
            }
            else
            {
                exchange.stages().reached(Stage.UPSTREAM_FIRST_CONTENT);
                super.onContent(serverResponse, chunk, demander);
            }
        }

        @Override
        public void succeeded()
        {
            if (exchange.isContainerDone())
                exchange.complete(exchange.upstreamStatus(), Exchange.Outcome.CLIENT_ABORT);
            else
                super.succeeded();
        }

        @Override
        public void failed(Throwable failure)
        {
            if (exchange.isContainerDone())
                exchange.complete(exchange.upstreamStatus(), Exchange.Outcome.CLIENT_ABORT);
            else
                super.failed(failure);
        }
    }

    /**
     * Keeps upstream's {@code Content-Length}: the base class drops it because a transformer might
     * change the body, but this proxy's transformers only observe. Set before the first write,
     * it keeps plain responses from going out chunked or close-delimited.
     */
    private final class ClientWriter extends ProxyWriter implements EventSink
    {
        private final HttpServletRequest clientRequest;
        private final Exchange exchange;
        private final long contentLength;
        private boolean started;
        /** Set while process() waits for the container's onWritePossible() after a false isReady(). */
        private final java.util.concurrent.atomic.AtomicBoolean awaitingWritePossible = new java.util.concurrent.atomic.AtomicBoolean();

        private ClientWriter(HttpServletRequest clientRequest, Response serverResponse)
        {
            super(clientRequest, serverResponse);
            this.clientRequest = clientRequest;
            this.exchange = exchange(clientRequest);
            this.contentLength = serverResponse.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            exchange.sink(this);
            EventStreamTracker stream = exchange.eventStream();
            if (stream != null)
                SseKeepAlive.start(getHttpClient().getScheduler(), config.sseKeepAliveMs(), exchange, stream, this);
        }

        @Override
        public void send(String text, Runnable done)
        {
            offer(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), Callback.from(done, failure -> done.run()));
            iterate();
        }

        /** Every write and flush to the client happens here, under the exchange's client lock. */
        @Override
        protected Action process() throws Throwable
        {
            boolean locked = exchange.lockClient();
            try
            {
                if (exchange.hasClientFailed() || exchange.isContainerDone())
                    throw new EofException("the client connection is gone");
                if (!started)
                {
                    started = true;
                    if (contentLength >= 0)
                        clientRequest.getAsyncContext().getResponse().setContentLengthLong(contentLength);
                    // An event stream's headers go out at once, so the client knows its status before the
                    // first token. This also spends Open Liberty's habit of ignoring the first flush of a
                    // response, which would otherwise hold the first event back until the second.
                    ServletOutputStream output = clientRequest.getAsyncContext().getResponse().getOutputStream();
                    if (exchange.eventStream() != null && output.isReady())
                        output.flush();
                }
                // The base class writes on whatever thread brought upstream's bytes, trusting the
                // isReady() it called after the previous write. Open Liberty allows a non-blocking
                // write only on the thread whose isReady() last returned true (else SRVE0918E, and
                // the stream ends cleanly after its first piece): ask on this thread, just before
                // writing. When not ready, onWritePossible() iterates again.
                awaitingWritePossible.set(true);
                if (!clientRequest.getAsyncContext().getResponse().getOutputStream().isReady())
                    return Action.IDLE;
                awaitingWritePossible.set(false);
                exchange.stages().reached(Stage.CLIENT_FIRST_WRITE);
                return super.process();
            }
            finally
            {
                exchange.unlockClient(locked);
            }
        }

        /** A write, flushed, is complete. */
        @Override
        protected void onSuccess()
        {
            exchange.stages().reached(Stage.CLIENT_FLUSHED);
            super.onSuccess();
        }

        /** After a false isReady() in process() no write is pending: the base class would complete one. */
        @Override
        public void onWritePossible()
        {
            if (awaitingWritePossible.compareAndSet(true, false))
                iterate();
            else
                super.onWritePossible();
        }

        /** The container's report that writing failed: heard only once no write of ours is under way. */
        @Override
        public void onError(Throwable failure)
        {
            exchange.withClientLock(() -> exchange.clientFailed(failure));
            // The client is gone: stop upstream now, not when the writer next runs (a silent stream
            // would otherwise keep generating until upstream's next bytes). And end the writer
            // whatever its state: the base class's failed() throws when no write is pending.
            exchange.abortUpstream(failure);
            abort(failure);
        }

        @Override
        protected void onCompleteFailure(Throwable failure)
        {
            exchange.clientFailed(failure);
            super.onCompleteFailure(failure);
            // The failed write may have been the proxy's own (a keep-alive), whose callback aborts nothing.
            exchange.abortUpstream(failure);
        }
    }
}
