import dev.proxylitellm.limits.Admission;
import dev.proxylitellm.limits.RateLimiter;
import dev.proxylitellm.limits.RateLimits;
import dev.proxylitellm.limits.RedisSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the RATE_LIMITS check adds to a call: the time of RateLimiter.admit() (and of charging a
 * response's tokens), with the counters in memory and in a local Redis. Usage:
 * {@code LimitCost <redis url> [calls]}. Prints p50 and p99 in microseconds.
 */
public final class LimitCost
{
    public static void main(String[] args) throws Exception
    {
        URI redis = URI.create(args[0]);
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        // Limits high enough that every call is admitted: the check's cost, not refusals, is measured.
        RateLimits limits = RateLimits.parse("*:rpm=100000000,tpm=10000000000", "RATE_LIMITS", new ArrayList<>());
        try (RateLimiter memory = new RateLimiter(limits);
             RateLimiter shared = new RateLimiter(limits, new RedisSettings(redis, Duration.ofMillis(50), true, List.of()), up -> { }))
        {
            for (String[] round : new String[][]{{"memory", "warm-up"}, {"redis", "warm-up"}, {"memory", "measured"}, {"redis", "measured"}})
            {
                RateLimiter limiter = round[0].equals("memory") ? memory : shared;
                long[] admit = new long[calls];
                long[] charge = new long[calls];
                for (int i = 0; i < calls; i++)
                {
                    String client = "app-" + (i % 10);
                    long start = System.nanoTime();
                    Admission admission = limiter.admit(client);
                    admit[i] = System.nanoTime() - start;
                    if (!admission.admitted())
                        throw new IllegalStateException("refused: " + admission.refusedOn());
                    start = System.nanoTime();
                    limiter.chargeTokens(client, 120);
                    charge[i] = System.nanoTime() - start;
                    admission.release().run();
                }
                if (round[1].equals("measured"))
                    System.out.printf("%-6s admit p50 %6.1f us  p99 %6.1f us   charge tokens p50 %6.1f us  p99 %6.1f us   (%d calls, 10 clients)%n",
                        round[0], percentile(admit, 50), percentile(admit, 99), percentile(charge, 50), percentile(charge, 99), calls);
            }
        }
    }

    private static double percentile(long[] nanos, int p)
    {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1000.0;
    }
}
