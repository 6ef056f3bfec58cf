package dev.proxylitellm.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Applies {@link RateLimits} to calls, per client, in this instance's memory: token buckets
 * (Bucket4j, refilled greedily over a minute) for requests and tokens, a semaphore for concurrent
 * calls. Requests are counted when admitted; tokens are charged when a response's usage is known,
 * so a client over its token budget is refused from its next call, as the AI gateways do.
 */
public final class RateLimiter
{
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final RateLimits limits;
    private final Map<String, ClientState> clients = new ConcurrentHashMap<>();

    public RateLimiter(RateLimits limits)
    {
        this.limits = limits;
    }

    private static final class ClientState
    {
        final RateLimits.Limits limits;
        final Bucket requests;
        final Bucket tokens;
        final Semaphore concurrent;

        ClientState(RateLimits.Limits limits)
        {
            this.limits = limits;
            this.requests = limits.requestsPerMinute() > 0 ? bucket(limits.requestsPerMinute()) : null;
            this.tokens = limits.tokensPerMinute() > 0 ? bucket(limits.tokensPerMinute()) : null;
            this.concurrent = limits.concurrent() > 0 ? new Semaphore(limits.concurrent()) : null;
        }

        private static Bucket bucket(long perMinute)
        {
            return Bucket.builder().addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, MINUTE)).build();
        }
    }

    /** Decides on one call of {@code client} (null for a caller without a key). */
    public Admission admit(String client)
    {
        RateLimits.Limits own = limits.of(client);
        if (own == null)
            return Admission.UNLIMITED;
        ClientState state = clients.computeIfAbsent(client == null ? RateLimits.ANONYMOUS : client, name -> new ClientState(own));

        long tokensLeft = state.tokens == null ? 0 : state.tokens.getAvailableTokens();
        long tokensResetNanos = state.tokens == null ? 0 : resetNanos(state.tokens, state.limits.tokensPerMinute());
        if (state.tokens != null && tokensLeft <= 0)
        {
            EstimationProbe wait = state.tokens.estimateAbilityToConsume(1);
            return refused("tokens", wait.getNanosToWaitForRefill(), state, 0, tokensResetNanos);
        }
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
        ClientState state = clients.get(client == null ? RateLimits.ANONYMOUS : client);
        if (state != null && state.tokens != null && tokens > 0)
            state.tokens.consumeIgnoringRateLimits(tokens);
    }

    private static Admission refused(String kind, long waitNanos, ClientState state, long tokensLeft, long tokensResetNanos)
    {
        long retryAfterMs = Math.max(1, (waitNanos + 999_999) / 1_000_000);
        long requestsLeft = state.requests == null ? 0 : state.requests.getAvailableTokens();
        long requestsResetNanos = state.requests == null ? 0 : resetNanos(state.requests, state.limits.requestsPerMinute());
        return new Admission(kind, retryAfterMs, Admission.headers(state.limits.requestsPerMinute(), requestsLeft, requestsResetNanos,
            state.limits.tokensPerMinute(), tokensLeft, tokensResetNanos), () -> { });
    }

    /** Time until the bucket is full again. */
    private static long resetNanos(Bucket bucket, long capacity)
    {
        long missing = capacity - bucket.getAvailableTokens();
        return missing <= 0 ? 0 : MINUTE.toNanos() * missing / capacity;
    }
}
