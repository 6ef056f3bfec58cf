package dev.proxylitellm.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.OpenAiErrorAssertions;
import dev.proxylitellm.support.LogCapture;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may call the proxy: client keys and client networks. */
class AccessControlTest
{
    private static final String KEY_1 = "pk-team-a-8d2f";
    private static final String KEY_2 = "pk-team-b-77c1";

    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();


    private HttpResponse<String> get(EmbeddedProxy proxy, String path, String header, String value) throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path));
        if (header != null)
            request.header(header, value);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> withKeys(FakeUpstream upstream)
    {
        Map<String, String> config = TestConfig.against(upstream, dir.resolve("proxy.log"));
        config.put("PROXY_API_KEYS", KEY_1 + ", " + KEY_2);
        return config;
    }

    @Test
    void aRequestWithoutAKnownKeyIsA401AndNeverReachesUpstream() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(withKeys(upstream)))
        {
            for (String[] attempt : new String[][]{{null, null}, {"Authorization", "Bearer wrong"}, {"X-Api-Key", "wrong"},
                {"Authorization", KEY_1}, {"Authorization", "Basic " + KEY_1}})
            {
                HttpResponse<String> response = get(proxy, "/v1/models", attempt[0], attempt[1]);

                OpenAiErrorAssertions.assertOpenAiError(401, "invalid_api_key", response.statusCode(),
                    response.headers().firstValue("content-type").orElse(""), response.body());
            }
            assertTrue(upstream.drainRequests().isEmpty());
        }
    }

    @Test
    void aKnownKeyAsBearerOrXApiKeyIsAcceptedAndNeverForwarded() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(withKeys(upstream)))
        {
            assertEquals(200, get(proxy, "/v1/models", "Authorization", "Bearer " + KEY_2).statusCode());
            assertEquals(200, get(proxy, "/v1/models", "X-Api-Key", KEY_1).statusCode());

            FakeUpstream.RecordedRequest first = upstream.takeRequest();
            FakeUpstream.RecordedRequest second = upstream.takeRequest();
            assertEquals(TestConfig.DS_KEY, first.header("Authorization"));
            assertNull(second.header("X-Api-Key"));
            assertFalse(first.headers().toString().contains(KEY_2) || second.headers().toString().contains(KEY_1));
        }
    }

    @Test
    void theAccessLogNamesTheClientByDigestPrefixNeverByKey() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            try (EmbeddedProxy proxy = EmbeddedProxy.start(withKeys(upstream)))
            {
                get(proxy, "/v1/models", "Authorization", "Bearer " + KEY_1);
            }

            String log = Files.readString(dir.resolve("proxy.log"));
            assertTrue(log.contains("GET /v1/models 200 route=models client=sha256:" + TestConfig.keyDigest(KEY_1).substring(0, 8) + " "), log);
            assertFalse(log.contains(KEY_1), "a client key was logged");
            assertFalse(log.contains(KEY_2), "a client key was logged");
        }
    }

    @Test
    void keysCanComeAsDigestsFromAFile() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Path keys = Files.writeString(dir.resolve("keys"), "# team A\nsha256:" + TestConfig.keyDigest(KEY_1) + "\n\n");
            Map<String, String> config = TestConfig.against(upstream, dir.resolve("proxy.log"));
            config.put("PROXY_API_KEYS_FILE", keys.toString());
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                assertEquals(200, get(proxy, "/v1/models", "Authorization", "Bearer " + KEY_1).statusCode());
                assertEquals(401, get(proxy, "/v1/models", "Authorization", "Bearer " + KEY_2).statusCode());
            }
        }
    }

    @Test
    void aPlainKeyInTheKeysFileFailsTheStart() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); LogCapture log = LogCapture.start())
        {
            Path keys = Files.writeString(dir.resolve("keys"), KEY_1 + "\n");
            Map<String, String> config = TestConfig.against(upstream, dir.resolve("proxy.log"));
            config.put("PROXY_API_KEYS_FILE", keys.toString());
            try (EmbeddedProxy proxy = EmbeddedProxy.startAllowingFailure(config))
            {
                assertFalse(proxy.isWebappAvailable());
            }
            assertTrue(log.text().contains("PROXY_API_KEYS_FILE line 1 is not sha256:"), log.text());
            assertFalse(log.text().contains(KEY_1));
        }
    }

    @Test
    void healthAndRootStayOpen() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(withKeys(upstream)))
        {
            assertEquals(200, get(proxy, "/healthz", null, null).statusCode());
            assertEquals(200, get(proxy, "/", null, null).statusCode());
        }
    }

    @Test
    void callersOutsideTheAllowedNetworksAreA403() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Map<String, String> config = TestConfig.against(upstream, dir.resolve("proxy.log"));
            config.put("ALLOWED_CLIENT_CIDRS", "10.0.0.0/8, fd00::/8");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpResponse<String> response = get(proxy, "/v1/models", null, null);

                OpenAiErrorAssertions.assertOpenAiError(403, "forbidden", response.statusCode(),
                    response.headers().firstValue("content-type").orElse(""), response.body());
                assertTrue(upstream.drainRequests().isEmpty());
            }
            config.put("ALLOWED_CLIENT_CIDRS", "10.0.0.0/8, 127.0.0.0/8");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                assertEquals(200, get(proxy, "/v1/models", null, null).statusCode());
            }
        }
    }

    @Test
    void withoutClientKeysTheStartWarnsThatNothingGuardsTheProxy() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, dir.resolve("proxy.log"))))
        {
            String log = Files.readString(dir.resolve("proxy.log"));
            assertTrue(log.contains("WARN") && log.contains("No inbound access control"), log);
        }
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(withKeys(upstream)))
        {
            assertEquals(1, Files.readString(dir.resolve("proxy.log")).split("No inbound access control", -1).length - 1,
                "the warning was repeated although keys are set");
        }
    }
}
