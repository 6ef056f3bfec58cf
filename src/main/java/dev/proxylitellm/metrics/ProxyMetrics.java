package dev.proxylitellm.metrics;

import dev.proxylitellm.http.Exchange;
import dev.proxylitellm.http.FirstByteStages;
import dev.proxylitellm.limits.RateLimits;
import dev.proxylitellm.usage.TokenUsage;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The proxy's Prometheus series, in a registry of this webapp's own (so a redeployed or second
 * webapp in the same server never collides with this one): requests, durations, bytes, upstream
 * errors and tokens, plus the JVM's and the upstream client's state. Every label has a bounded
 * set of values: routes are endpoint families, methods the seven proxied ones, models at most
 * {@value #MAX_MODELS} distinct names, clients the configured keys.
 */
public final class ProxyMetrics implements ExchangeMetrics
{
    static final String PREFIX = "proxy_litellm_";
    static final int MAX_MODELS = 200;
    static final String OTHER_MODEL = "other";
    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
    /** From a fast embedding call to a long reasoning stream. */
    private static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

    /** Fine below a millisecond, where the proxy's own part of a first byte lies; upstream's can take minutes. */
    private static final double[] STAGE_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
        2.5, 5, 10, 30, 60, 120, 300};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Set<String> models = ConcurrentHashMap.newKeySet();

    private final Counter requests = Counter.builder()
        .name(PREFIX + "requests_total")
        .help("Requests to /v1, by endpoint family, method, status class and outcome")
        .labelNames("route", "method", "status_class", "outcome")
        .withoutExemplars()
        .register(registry);
    private final Gauge inFlight = Gauge.builder()
        .name(PREFIX + "requests_in_flight")
        .help("Requests being proxied now")
        .withoutExemplars()
        .register(registry);
    private final Gauge openStreams = Gauge.builder()
        .name(PREFIX + "streams_open")
        .help("Server-Sent Events responses being relayed now")
        .withoutExemplars()
        .register(registry);
    private final Histogram duration = Histogram.builder()
        .name(PREFIX + "request_duration_seconds")
        .help("From the client's request to the end of the response (the whole stream, for streams)")
        .labelNames("route")
        .classicOnly()
        .classicUpperBounds(DURATION_BUCKETS)
        .withoutExemplars()
        .register(registry);
    private final Histogram upstreamTtfb = Histogram.builder()
        .name(PREFIX + "upstream_ttfb_seconds")
        .help("From the client's request to upstream's response headers")
        .labelNames("route")
        .classicOnly()
        .classicUpperBounds(DURATION_BUCKETS)
        .withoutExemplars()
        .register(registry);
    private final Histogram streamStages = Histogram.builder()
        .name(PREFIX + "stream_first_byte_stage_seconds")
        .help("For event streams: from the client's request to each stage on the way to the first byte the client gets"
            + " (request_read, upstream_sent, upstream_headers, upstream_first_content, client_first_write, client_flushed)")
        .labelNames("stage")
        .classicOnly()
        .classicUpperBounds(STAGE_BUCKETS)
        .withoutExemplars()
        .register(registry);
    private final DistributionDataPoint[] stagePoints = java.util.Arrays.stream(FirstByteStages.Stage.all())
        .map(stage -> streamStages.labelValues(stage.label())).toArray(DistributionDataPoint[]::new);
    private final Counter bytesIn = Counter.builder()
        .name(PREFIX + "request_bytes_total")
        .help("Request body bytes received from clients")
        .labelNames("route")
        .withoutExemplars()
        .register(registry);
    private final Counter bytesOut = Counter.builder()
        .name(PREFIX + "response_bytes_total")
        .help("Response body bytes relayed to clients")
        .labelNames("route")
        .withoutExemplars()
        .register(registry);
    private final Counter upstreamErrors = Counter.builder()
        .name(PREFIX + "upstream_errors_total")
        .help("Failed upstream exchanges, by kind: connect, timeout, reset, tls, protocol")
        .labelNames("kind")
        .withoutExemplars()
        .register(registry);
    private final Counter tokens = Counter.builder()
        .name(PREFIX + "tokens_total")
        .help("Tokens reported in responses' usage, by model, client and type (prompt, completion, total)")
        .labelNames("model", "client", "type")
        .withoutExemplars()
        .register(registry);
    private final Counter rateLimited = Counter.builder()
        .name(PREFIX + "rate_limited_total")
        .help("Calls refused by a client's RATE_LIMITS, by client and kind (requests, tokens, concurrent)")
        .labelNames("client", "kind")
        .withoutExemplars()
        .register(registry);
    private final Gauge rateLimiterUp = Gauge.builder()
        .name(PREFIX + "rate_limiter_available")
        .help("1 while the RATE_LIMITS counters' store (Redis, or memory) answers, 0 while it is out")
        .withoutExemplars()
        .register(registry);
    private final Counter tokensUnknown = Counter.builder()
        .name(PREFIX + "tokens_unknown_total")
        .help("Successful calls of token-reporting endpoints whose response carried no usage")
        .labelNames("route")
        .withoutExemplars()
        .register(registry);

    private final Gauge realtimeSessions = Gauge.builder()
        .name(PREFIX + "realtime_sessions_open")
        .help("Realtime WebSocket sessions being relayed now")
        .withoutExemplars()
        .register(registry);
    private final Counter realtimeFrames = Counter.builder()
        .name(PREFIX + "realtime_messages_total")
        .help("Realtime WebSocket messages relayed, by direction")
        .labelNames("direction")
        .withoutExemplars()
        .register(registry);
    private final Counter realtimeBytes = Counter.builder()
        .name(PREFIX + "realtime_bytes_total")
        .help("Realtime WebSocket payload relayed (characters of text, bytes of binary), by direction")
        .labelNames("direction")
        .withoutExemplars()
        .register(registry);

    public ProxyMetrics()
    {
        JvmMetrics.builder().register(registry);
        rateLimiterUp.set(1);
    }

    @Override
    public boolean observesUsage()
    {
        return true;
    }

    public PrometheusRegistry registry()
    {
        return registry;
    }

    @Override
    public void started()
    {
        inFlight.inc();
    }

    @Override
    public void streamStarted()
    {
        openStreams.inc();
    }

    /** Counts a finished exchange; called once per exchange that {@link #started()}. */
    @Override
    public void completed(Exchange exchange)
    {
        inFlight.dec();
        if (exchange.eventStream() != null)
        {
            openStreams.dec();
            observeStages(exchange.stages());
        }
        String route = exchange.route();
        requests.labelValues(route, method(exchange.method()), statusClass(exchange.status()), exchange.outcome().toString()).inc();
        duration.labelValues(route).observe(exchange.elapsedSeconds());
        double ttfb = exchange.upstreamTtfbSeconds();
        if (ttfb >= 0)
            upstreamTtfb.labelValues(route).observe(ttfb);
        if (exchange.bytesIn() > 0)
            bytesIn.labelValues(route).inc(exchange.bytesIn());
        if (exchange.bytesOut() > 0)
            bytesOut.labelValues(route).inc(exchange.bytesOut());
        countTokens(exchange, route);
    }

    private void observeStages(FirstByteStages stages)
    {
        for (FirstByteStages.Stage stage : FirstByteStages.Stage.all())
        {
            long nanos = stages.nanosTo(stage);
            if (nanos >= 0)
                stagePoints[stage.ordinal()].observe(nanos / 1e9);
        }
    }

    private void countTokens(Exchange exchange, String route)
    {
        TokenUsage usage = exchange.tokens();
        if (usage.isKnown())
        {
            String model = model(exchange.model());
            String client = RateLimits.clientName(exchange.client());
            if (usage.prompt() >= 0)
                tokens.labelValues(model, client, "prompt").inc(usage.prompt());
            if (usage.completion() >= 0)
                tokens.labelValues(model, client, "completion").inc(usage.completion());
            tokens.labelValues(model, client, "total").inc(usage.effectiveTotal());
        }
        else if (RouteFamily.reportsTokens(route) && exchange.upstreamStatus() / 100 == 2 && exchange.status() / 100 == 2)
        {
            tokensUnknown.labelValues(route).inc();
        }
    }

    @Override
    public void realtimeOpened()
    {
        realtimeSessions.inc();
    }

    @Override
    public void realtimeClosed()
    {
        realtimeSessions.dec();
    }

    @Override
    public void realtimeFrame(String direction, int bytes)
    {
        realtimeFrames.labelValues(direction).inc();
        realtimeBytes.labelValues(direction).inc(bytes);
    }

    /** Counts an upstream failure of {@code kind}. */
    @Override
    public void upstreamError(String kind)
    {
        upstreamErrors.labelValues(kind).inc();
    }

    @Override
    public void rateLimiterAvailable(boolean available)
    {
        rateLimiterUp.set(available ? 1 : 0);
    }

    @Override
    public void rateLimited(String client, String kind)
    {
        rateLimited.labelValues(RateLimits.clientName(client), kind).inc();
    }

    /** Publishes the upstream client's connection pools, request queues and threads. */
    @Override
    public void watch(HttpClient client)
    {
        GaugeWithCallback.builder()
            .name(PREFIX + "upstream_connections")
            .help("Connections to upstream, by state: active (carrying a request), idle, pending (being opened)")
            .labelNames("state")
            .callback(callback ->
            {
                int active = 0;
                int idle = 0;
                int pending = 0;
                for (Destination destination : client.getDestinations())
                {
                    if (destination.getConnectionPool() instanceof AbstractConnectionPool pool)
                    {
                        active += pool.getActiveConnectionCount();
                        idle += pool.getIdleConnectionCount();
                        pending += pool.getPendingConnectionCount();
                    }
                }
                callback.call(active, "active");
                callback.call(idle, "idle");
                callback.call(pending, "pending");
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name(PREFIX + "upstream_queued_requests")
            .help("Requests waiting for a connection to upstream")
            .callback(callback ->
            {
                int queued = 0;
                for (Destination destination : client.getDestinations())
                {
                    if (destination instanceof HttpDestination http)
                        queued += http.getQueuedRequestCount();
                }
                callback.call(queued);
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name(PREFIX + "upstream_client_threads")
            .help("Threads of the upstream client's pool (the container's own, in Jetty), by state: busy, idle")
            .labelNames("state")
            .callback(callback ->
            {
                // The executor is set when the client starts, after this registration.
                if (client.getExecutor() instanceof QueuedThreadPool threads)
                {
                    callback.call(threads.getBusyThreads(), "busy");
                    callback.call(threads.getIdleThreads(), "idle");
                }
            })
            .register(registry);
    }

    /** The model label: the model itself while fewer than {@value #MAX_MODELS} have been seen. */
    private String model(String model)
    {
        if (model == null)
            return "unknown";
        if (models.contains(model))
            return model;
        if (models.size() >= MAX_MODELS)
            return OTHER_MODEL;
        models.add(model);
        return model;
    }

    private static String method(String method)
    {
        return METHODS.contains(method) ? method : "other";
    }

    private static String statusClass(int status)
    {
        return status >= 100 && status < 600 ? STATUS_CLASSES[status / 100] : "none";
    }
}
