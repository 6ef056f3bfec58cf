package dev.proxylitellm.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.proxylitellm.support.FakeUpstream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Undeploying the WAR leaves nothing running: redeployed five times in one Tomcat, with traffic
 * in between, Tomcat reports no thread the webapp started and failed to stop.
 */
class TomcatRedeployIT
{
    private static final int REDEPLOYS = 5;
    private static final String DEPLOYED = "Deployment of deployment descriptor";

    @Test
    void redeployingFiveTimesLeavesNoThreadsBehind() throws Exception
    {
        Deployment llm = new Deployment("/llm", Map.of("LITELLM_API_KEY", "redeploy-key"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (FakeUpstream upstream = FakeUpstream.start(); Tomcat tomcat = new Tomcat("tomcat10.home"))
        {
            tomcat.start(List.of(llm), Map.of("LITELLM_BASE_URL", upstream.baseUrl().toString(), "DS_APP_ID", "a", "DS_KEY", "k",
                "LOG_FILE", "proxy.log"), Map.of(), List.of("/llm"));
            for (int i = 1; i <= REDEPLOYS; i++)
            {
                assertEquals(200, client.send(HttpRequest.newBuilder(tomcat.uri("/llm", "/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
                int deployed = count(tomcat.console(), DEPLOYED);
                tomcat.redeploy(llm);
                awaitDeployments(tomcat, deployed + 1);
            }
            assertEquals(200, client.send(HttpRequest.newBuilder(tomcat.uri("/llm", "/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

            String console = tomcat.console();
            assertFalse(console.contains("memory leak"), console);
            assertFalse(console.contains("failed to stop it"), console);
        }
    }

    private static void awaitDeployments(Tomcat tomcat, int expected) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpClient client = HttpClient.newHttpClient();
        while (System.nanoTime() < deadline)
        {
            if (count(tomcat.console(), DEPLOYED) >= expected)
            {
                try
                {
                    if (client.send(HttpRequest.newBuilder(tomcat.uri("/llm", "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200)
                        return;
                }
                catch (java.io.IOException notYet)
                {
                    // Redeploying.
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("redeployment " + expected + " did not finish within 30 s:\n" + tomcat.console());
    }

    private static int count(String text, String needle)
    {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1))
            count++;
        return count;
    }
}
