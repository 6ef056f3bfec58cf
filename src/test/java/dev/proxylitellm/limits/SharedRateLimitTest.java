package dev.proxylitellm.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.RedisProcess;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RATE_LIMITS shared by several instances through a real Redis, and what happens while Redis is out. */
class SharedRateLimitTest
{
    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Map<String, String> config(FakeUpstream upstream, RedisProcess redis, String logName, String... more)
    {
        Map<String, String> config = TestConfig.against(upstream, dir.resolve(logName));
        config.put("RATE_LIMITS", "*:rpm=60");
        config.put("RATE_LIMIT_REDIS_URL", redis.url().toString());
        for (int i = 0; i < more.length; i += 2)
            config.put(more[i], more[i + 1]);
        return config;
    }

    private HttpResponse<String> call(EmbeddedProxy proxy) throws Exception
    {
        return client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String metrics(EmbeddedProxy proxy) throws Exception
    {
        return client.send(HttpRequest.newBuilder(proxy.uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void twoInstancesSharingRedisEnforceOneLimit() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); RedisProcess redis = RedisProcess.start();
             EmbeddedProxy first = EmbeddedProxy.start(config(upstream, redis, "first.log"));
             EmbeddedProxy second = EmbeddedProxy.start(config(upstream, redis, "second.log")))
        {
            int admitted = 0;
            int refusedWithRetryAfter = 0;
            long started = System.nanoTime();
            for (int i = 0; i < 180; i++)
            {
                HttpResponse<String> response = call(i % 2 == 0 ? first : second);
                if (response.statusCode() == 200)
                    admitted++;
                else if (response.statusCode() == 429 && response.headers().firstValue("Retry-After").isPresent())
                    refusedWithRetryAfter++;
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 1;

            System.out.println("two instances, one Redis, rpm=60: " + admitted + " admitted, " + refusedWithRetryAfter + " refused of 180 in "
                + seconds + " s");
            // The bucket refills one request a second while the calls run.
            assertTrue(admitted >= 60 && admitted <= 60 + seconds, admitted + " admitted");
            assertEquals(180 - admitted, refusedWithRetryAfter);
        }
    }

    @Test
    void whileRedisIsOutCallsGoThroughWithoutWaitingAndLimitsReturnWithIt() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); RedisProcess redis = RedisProcess.start();
             EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, redis, "proxy.log", "RATE_LIMITS", "*:rpm=2")))
        {
            assertEquals(200, call(proxy).statusCode());
            redis.stop();

            long slowest = 0;
            for (int i = 0; i < 10; i++)
            {
                long start = System.nanoTime();
                assertEquals(200, call(proxy).statusCode(), "call " + i + " while Redis is out");
                slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            System.out.println("fail-open, Redis stopped: slowest of 10 calls " + slowest + " ms");
            assertTrue(slowest < 1000, "a call waited " + slowest + " ms for a Redis that is out");
            assertTrue(metrics(proxy).contains("proxy_litellm_rate_limiter_available 0.0"));
            String log = Files.readString(dir.resolve("proxy.log"));
            assertEquals(1, log.split("Redis for RATE_LIMITS is unavailable", -1).length - 1, log);

            redis.startAgain();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int status = 200;
            while (status != 429 && System.nanoTime() < deadline)
            {
                status = call(proxy).statusCode();
                Thread.sleep(50);
            }
            assertEquals(429, status, "limits did not apply again once Redis was back");
            assertTrue(metrics(proxy).contains("proxy_litellm_rate_limiter_available 1.0"));
            assertTrue(Files.readString(dir.resolve("proxy.log")).contains("Redis for RATE_LIMITS is available again"));
        }
    }

    @Test
    void failingClosedCallsGetA503WhileRedisIsOut() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); RedisProcess redis = RedisProcess.start();
             EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, redis, "proxy.log", "RATE_LIMIT_FAIL_OPEN", "false")))
        {
            redis.stop();
            upstream.drainRequests();

            long start = System.nanoTime();
            HttpResponse<String> response = call(proxy);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals(503, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"code\":\"rate_limiter_unavailable\""), response.body());
            assertTrue(ms < 1000, "waited " + ms + " ms");
            assertTrue(upstream.drainRequests().isEmpty());
        }
    }

    @Test
    void aProxyStartsWhileRedisIsDownAndLimitsOnceItComes() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); RedisProcess redis = RedisProcess.start())
        {
            redis.stop();
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config(upstream, redis, "proxy.log", "RATE_LIMITS", "*:rpm=1")))
            {
                assertEquals(200, call(proxy).statusCode());
                assertEquals(200, call(proxy).statusCode());
                redis.startAgain();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int status = 200;
                while (status != 429 && System.nanoTime() < deadline)
                {
                    status = call(proxy).statusCode();
                    Thread.sleep(50);
                }
                assertEquals(429, status);
            }
        }
    }

    @Test
    void overTlsRedisIsTrustedThroughUpstreamCaFileAndOnlySo() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); RedisProcess redis = RedisProcess.startTls())
        {
            Map<String, String> trusted = config(upstream, redis, "trusted.log", "RATE_LIMITS", "*:rpm=2",
                "RATE_LIMIT_REDIS_URL", redis.tlsUrl().toString(),
                "UPSTREAM_CA_FILE", dev.proxylitellm.support.TestCertificates.get().caPem().toString());
            try (EmbeddedProxy first = EmbeddedProxy.start(trusted);
                 EmbeddedProxy second = EmbeddedProxy.start(config(upstream, redis, "second.log", "RATE_LIMITS", "*:rpm=2",
                     "RATE_LIMIT_REDIS_URL", redis.tlsUrl().toString(),
                     "UPSTREAM_CA_FILE", dev.proxylitellm.support.TestCertificates.get().caPem().toString())))
            {
                assertEquals(200, call(first).statusCode());
                assertEquals(200, call(second).statusCode());
                assertEquals(429, call(first).statusCode(), "the limit was not shared over TLS");
            }
            Map<String, String> untrusted = config(upstream, redis, "untrusted.log", "RATE_LIMITS", "*:rpm=1",
                "RATE_LIMIT_REDIS_URL", redis.tlsUrl().toString());
            try (EmbeddedProxy proxy = EmbeddedProxy.start(untrusted))
            {
                // Without the CA, the certificate is refused: Redis counts as unavailable and calls go through (fail open).
                assertEquals(200, call(proxy).statusCode());
                assertEquals(200, call(proxy).statusCode());
                assertTrue(Files.readString(dir.resolve("untrusted.log")).contains("Redis for RATE_LIMITS is unavailable"));
            }
        }
    }
}
