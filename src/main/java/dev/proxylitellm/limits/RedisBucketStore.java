package dev.proxylitellm.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Token buckets kept in Redis (Bucket4j's compare-and-swap buckets over Lettuce), so that every
 * instance draws on the same counters. Every command is bounded by the configured timeout and
 * fails at once while Redis is disconnected (no queueing); the connection is made on first use,
 * tried again at most once a second while Redis is out, and reconnects by itself afterwards.
 */
final class RedisBucketStore implements BucketStore
{
    private static final String PREFIX = "proxy-litellm:rate-limit:";
    private static final long CONNECT_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RedisClient client;
    private final java.time.Duration timeout;
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;
    private volatile long nextConnectNanos;

    RedisBucketStore(RedisSettings settings)
    {
        this.timeout = settings.timeout();
        RedisURI uri = RedisURI.create(settings.url());
        uri.setTimeout(timeout);
        client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
            .build());
    }

    @Override
    public Bucket bucket(String key, long perMinute)
    {
        return buckets().builder().build(PREFIX + key + ":" + perMinute, () -> BucketStore.perMinute(perMinute));
    }

    private ProxyManager<String> buckets()
    {
        ProxyManager<String> ready = buckets;
        if (ready != null)
            return ready;
        if (System.nanoTime() < nextConnectNanos || !connecting.tryLock())
            throw new IllegalStateException("Redis is not connected");
        try
        {
            if (buckets != null)
                return buckets;
            nextConnectNanos = System.nanoTime() + CONNECT_RETRY_NANOS;
            connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .requestTimeout(timeout)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(MINUTE))
                .build();
            return buckets;
        }
        finally
        {
            connecting.unlock();
        }
    }

    @Override
    public void close()
    {
        StatefulRedisConnection<String, byte[]> open = connection;
        if (open != null)
            open.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
