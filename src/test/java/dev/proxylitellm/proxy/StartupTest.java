package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.LogCapture;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incomplete configuration fails the deployment, loudly and without leaking what was set. */
class StartupTest
{
    @TempDir
    Path logs;

    @Test
    void missingRequiredKeysFailTheDeploymentAndTheErrorNamesEachOne() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); LogCapture log = LogCapture.start())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.remove("LITELLM_BASE_URL");
            config.remove("DS_APP_ID");
            config.remove("LITELLM_API_KEY");

            try (EmbeddedProxy proxy = EmbeddedProxy.startAllowingFailure(config))
            {
                assertFalse(proxy.isWebappAvailable(), "the webapp started without its configuration");
                HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(response.statusCode() >= 500 || response.statusCode() == 404, "status " + response.statusCode());
                assertTrue(upstream.drainRequests().isEmpty());
            }

            String error = log.linesContaining("ERROR").stream().filter(line -> line.contains("configuration")).findFirst().orElseThrow();
            assertTrue(error.contains("LITELLM_BASE_URL is missing"), error);
            assertTrue(error.contains("DS_APP_ID is missing"), error);
            assertTrue(error.contains("LITELLM_API_KEY is missing"), error);
            assertTrue(error.contains("Set keys as test configuration"), error);
            assertFalse(log.text().contains(TestConfig.DS_KEY), "a configured secret was logged");
        }
    }

    @Test
    void aBaseUrlThatIsNotHttpFailsTheDeploymentWithoutEchoingIt() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); LogCapture log = LogCapture.start())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.put("LITELLM_BASE_URL", "ftp://user:hunter2@files.internal/v1");

            try (EmbeddedProxy proxy = EmbeddedProxy.startAllowingFailure(config))
            {
                assertFalse(proxy.isWebappAvailable());
            }

            assertTrue(log.text().contains("LITELLM_BASE_URL must be an absolute http:// or https:// URL"), log.text());
            assertFalse(log.text().contains("hunter2"));
        }
    }
}
