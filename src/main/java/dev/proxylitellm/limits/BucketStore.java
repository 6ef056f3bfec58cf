package dev.proxylitellm.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/** Where a client's token buckets live: this instance's memory, or Redis for every instance. */
interface BucketStore extends AutoCloseable
{
    Duration MINUTE = Duration.ofMinutes(1);

    /** The bucket named {@code key}, of {@code perMinute} tokens refilled greedily over a minute. */
    Bucket bucket(String key, long perMinute);

    static BucketConfiguration perMinute(long perMinute)
    {
        return BucketConfiguration.builder().addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, MINUTE)).build();
    }

    /** Buckets in this instance's memory. */
    BucketStore LOCAL = new BucketStore()
    {
        @Override
        public Bucket bucket(String key, long perMinute)
        {
            return Bucket.builder().addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, MINUTE)).build();
        }

        @Override
        public void close()
        {
        }
    };

    @Override
    void close();
}
