package dev.proxylitellm.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.RedisProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two instances behind one load balancer, as an operator runs them: the built WAR in a stock
 * Tomcat 11 and in the Jetty 12.1 distribution, both counting RATE_LIMITS in one real Redis.
 * A client gets its limit once across both, not once per server.
 */
class SharedLimitsIT
{
    @Test
    void aTomcatAndAJettySharingRedisEnforceOneLimit() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); RedisProcess redis = RedisProcess.start();
             ServletContainer tomcat = new Tomcat("tomcat11.home"); ServletContainer jetty = new Jetty(false))
        {
            Map<String, String> environment = Map.of("LITELLM_BASE_URL", upstream.baseUrl().toString(), "DS_KEY", "shared-ds-key",
                "DS_APP_ID", "shared-app", "LITELLM_API_KEY", "shared-litellm-key", "LOG_FILE", "",
                "RATE_LIMITS", "*:rpm=30", "RATE_LIMIT_REDIS_URL", redis.url().toString());
            tomcat.start(List.of(new Deployment("/llm", Map.of())), environment, Map.of(), List.of("/llm"));
            jetty.start(List.of(new Deployment("/llm", Map.of())), environment, Map.of(), List.of("/llm"));
            HttpClient client = HttpClient.newHttpClient();

            int admitted = 0;
            int refused = 0;
            long started = System.nanoTime();
            for (int i = 0; i < 90; i++)
            {
                ServletContainer server = i % 2 == 0 ? tomcat : jetty;
                int status = client.send(HttpRequest.newBuilder(server.uri("/llm", "/v1/models")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200)
                    admitted++;
                else if (status == 429)
                    refused++;
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 1;

            System.out.println("Tomcat 11 + Jetty 12.1, one Redis, rpm=30: " + admitted + " admitted, " + refused + " refused of 90 in "
                + seconds + " s");
            // The shared bucket refills one request every two seconds while the calls run.
            assertTrue(admitted >= 30 && admitted <= 30 + seconds / 2 + 1, admitted + " admitted");
            assertEquals(90 - admitted, refused);
        }
    }
}
