package dev.proxylitellm.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link RateLimits} to calls, per client: token buckets (Bucket4j, refilled greedily
 * over a minute) for requests and tokens — in this instance's memory, or in Redis for every
 * instance — and a semaphore in this instance for concurrent calls. Requests are counted when
 * admitted; tokens are charged when a response's usage is known, so a client over its token
 * budget is refused from its next call, as the AI gateways do. While Redis is unavailable, calls
 * go through unlimited or are refused, as configured; one WARN when it goes, one INFO when it is back.
 */
public final class RateLimiter implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    private final RateLimits limits;
    private final BucketStore store;
    private final boolean failOpen;
    private final java.util.function.Consumer<Boolean> availability;
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final Map<String, ClientState> clients = new ConcurrentHashMap<>();

    /** Counters in this instance's memory. */
    public RateLimiter(RateLimits limits)
    {
        this(limits, RedisSettings.NONE, up -> { });
    }

    /** @param availability told when the counters' store becomes unavailable (false) and available again (true) */
    public RateLimiter(RateLimits limits, RedisSettings redis, java.util.function.Consumer<Boolean> availability)
    {
        this.limits = limits;
        this.store = redis.url() == null ? BucketStore.LOCAL : new RedisBucketStore(redis);
        this.failOpen = redis.failOpen();
        this.availability = availability;
    }

    private static final class ClientState
    {
        final RateLimits.Limits limits;
        final Bucket requests;
        final Bucket tokens;
        final Semaphore concurrent;

        ClientState(String client, RateLimits.Limits limits, BucketStore store)
        {
            this.limits = limits;
            this.requests = limits.requestsPerMinute() > 0 ? store.bucket(client + ":requests", limits.requestsPerMinute()) : null;
            this.tokens = limits.tokensPerMinute() > 0 ? store.bucket(client + ":tokens", limits.tokensPerMinute()) : null;
            this.concurrent = limits.concurrent() > 0 ? new Semaphore(limits.concurrent()) : null;
        }
    }

    /** Decides on one call of {@code client} (null for a caller without a key). */
    public Admission admit(String client)
    {
        RateLimits.Limits own = limits.of(client);
        if (own == null)
            return Admission.UNLIMITED;
        try
        {
            Admission admission = decide(RateLimits.clientName(client), own);
            storeAvailable(null);
            return admission;
        }
        catch (RuntimeException outage)
        {
            storeAvailable(outage);
            return failOpen ? Admission.UNLIMITED : Admission.UNAVAILABLE;
        }
    }

    private Admission decide(String client, RateLimits.Limits own)
    {
        ClientState state = clients.computeIfAbsent(client, name -> new ClientState(name, own, store));

        // One look at the token bucket (a round trip with Redis): whether it has any left, and how many.
        EstimationProbe tokens = state.tokens == null ? null : state.tokens.estimateAbilityToConsume(1);
        long tokensLeft = tokens == null ? 0 : tokens.getRemainingTokens();
        long tokensResetNanos = tokens == null ? 0 : resetNanos(tokensLeft, state.limits.tokensPerMinute());
        if (tokens != null && !tokens.canBeConsumed())
            return refused("tokens", tokens.getNanosToWaitForRefill(), state, 0, tokensResetNanos);
        ConsumptionProbe request = state.requests == null ? null : state.requests.tryConsumeAndReturnRemaining(1);
        if (request != null && !request.isConsumed())
            return refused("requests", request.getNanosToWaitForRefill(), state, tokensLeft, tokensResetNanos);
        if (state.concurrent != null && !state.concurrent.tryAcquire())
        {
            if (state.requests != null)
                state.requests.addTokens(1);
            return refused("concurrent", 1_000_000_000L, state, tokensLeft, tokensResetNanos);
        }
        Map<String, String> headers = Admission.headers(state.limits.requestsPerMinute(), request == null ? 0 : request.getRemainingTokens(),
            request == null ? 0 : request.getNanosToWaitForReset(), state.limits.tokensPerMinute(), tokensLeft, tokensResetNanos);
        Semaphore slot = state.concurrent;
        return new Admission(null, 0, headers, slot == null ? () -> { } : slot::release);
    }

    /** Charges {@code tokens} used by a call of {@code client}, once its response's usage is known. */
    public void chargeTokens(String client, long tokens)
    {
        ClientState state = clients.get(RateLimits.clientName(client));
        if (state == null || state.tokens == null || tokens <= 0)
            return;
        try
        {
            state.tokens.consumeIgnoringRateLimits(tokens);
        }
        catch (RuntimeException outage)
        {
            // Tokens used while Redis is out are not charged: the outage is told once, by admit().
            storeAvailable(outage);
        }
    }

    private void storeAvailable(RuntimeException outage)
    {
        if (outage == null)
        {
            if (available.compareAndSet(false, true))
            {
                LOG.info("Redis for RATE_LIMITS is available again: limits apply");
                availability.accept(true);
            }
            return;
        }
        LOG.debug("Redis for RATE_LIMITS failed", outage);
        if (available.compareAndSet(true, false))
        {
            LOG.warn("Redis for RATE_LIMITS is unavailable ({}): calls {} until it is back", outage.getClass().getSimpleName(),
                failOpen ? "go through unlimited" : "are refused with 503");
            availability.accept(false);
        }
    }

    @Override
    public void close()
    {
        store.close();
    }

    private static Admission refused(String kind, long waitNanos, ClientState state, long tokensLeft, long tokensResetNanos)
    {
        long retryAfterMs = Math.max(1, (waitNanos + 999_999) / 1_000_000);
        long requestsLeft = state.requests == null ? 0 : state.requests.getAvailableTokens();
        long requestsResetNanos = state.requests == null ? 0 : resetNanos(requestsLeft, state.limits.requestsPerMinute());
        return new Admission(kind, retryAfterMs, Admission.headers(state.limits.requestsPerMinute(), requestsLeft, requestsResetNanos,
            state.limits.tokensPerMinute(), tokensLeft, tokensResetNanos), () -> { });
    }

    /** Time until a bucket with {@code left} of {@code capacity} tokens is full again. */
    private static long resetNanos(long left, long capacity)
    {
        long missing = capacity - left;
        return missing <= 0 ? 0 : BucketStore.MINUTE.toNanos() * missing / capacity;
    }
}
