package dev.proxylitellm.limits;

import dev.proxylitellm.upstream.UpstreamTls;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Token buckets kept in Redis (Bucket4j's compare-and-swap buckets over Lettuce), so that every
 * instance draws on the same counters. Every command is bounded by the configured timeout and
 * fails at once while Redis is disconnected (no queueing). The start waits up to five seconds for
 * the first connection; after that it is tried in the background every second until it succeeds,
 * so no call ever waits for it. Once made, Lettuce reconnects by itself.
 */
final class RedisBucketStore implements BucketStore
{
    private static final String PREFIX = "proxy-litellm:rate-limit:";
    /** Connecting and the handshake may take longer than a command: the first one loads Netty. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final long RETRY_SECONDS = 1;

    private final RedisClient client;
    private final RedisURI uri;
    private final Duration timeout;
    private volatile boolean closed;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;

    RedisBucketStore(RedisSettings settings)
    {
        this.timeout = settings.timeout();
        uri = RedisURI.create(settings.url());
        uri.setTimeout(CONNECT_TIMEOUT);
        client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
            // rediss:// trusts what the upstream does: the JVM's CAs and UPSTREAM_CA_FILE's, host name verified.
            .sslOptions(SslOptions.builder().jdkSslProvider()
                .sslContext(context -> context.trustManager(UpstreamTls.trustManager(settings.trustAnchors()))).build())
            .build());
        CompletableFuture<Void> first = connect();
        try
        {
            first.get(CONNECT_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notYet)
        {
            // Calls start anyway; the limiter reports Redis as unavailable until it connects.
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Connects, or schedules another try in a second; completes when this attempt ends. */
    private CompletableFuture<Void> connect()
    {
        if (closed)
            return CompletableFuture.completedFuture(null);
        return client.connectAsync(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), uri).thenAccept(connected ->
        {
            connection = connected;
            buckets = Bucket4jLettuce.casBasedBuilder(connected)
                .requestTimeout(timeout)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(MINUTE))
                .build();
            if (closed)
                connected.close();
        }).toCompletableFuture().whenComplete((done, failure) ->
        {
            if (failure != null)
                CompletableFuture.delayedExecutor(RETRY_SECONDS, TimeUnit.SECONDS).execute(this::connect);
        });
    }

    @Override
    public Bucket bucket(String key, long perMinute)
    {
        ProxyManager<String> ready = buckets;
        if (ready == null)
            throw new IllegalStateException("Redis is not connected yet");
        return ready.builder().build(PREFIX + key + ":" + perMinute, () -> BucketStore.perMinute(perMinute));
    }

    @Override
    public void close()
    {
        closed = true;
        StatefulRedisConnection<String, byte[]> open = connection;
        if (open != null)
            open.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
