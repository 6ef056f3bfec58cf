package dev.proxylitellm.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.LogCapture;
import dev.proxylitellm.support.LogFile;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which client app made a call: named keys, the attribution header upstream, and claims a client may not make. */
class ClientAttributionTest
{
    private static final String BILLING_KEY = "pk-billing-bot-31f0";
    private static final String OTHER_KEY = "pk-unnamed-app-9a7c";

    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();


    private Map<String, String> withNamedKeys(FakeUpstream upstream) throws Exception
    {
        Path keys = Files.writeString(dir.resolve("keys"), "# apps\nsha256:" + TestConfig.keyDigest(BILLING_KEY) + " billing-bot\nsha256:" + TestConfig.keyDigest(OTHER_KEY) + "\n");
        Map<String, String> config = TestConfig.against(upstream, dir.resolve("proxy.log"));
        config.put("PROXY_API_KEYS_FILE", keys.toString());
        return config;
    }

    private HttpResponse<String> call(EmbeddedProxy proxy, String key, String... headers) throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (key != null)
            request.header("Authorization", "Bearer " + key);
        if (headers.length > 0)
            request.headers(headers);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void upstreamLearnsTheNameOfTheClientAppThatCalled() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(withNamedKeys(upstream)))
        {
            assertEquals(200, call(proxy, BILLING_KEY).statusCode());

            assertEquals("billing-bot", upstream.takeRequest().header("x-litellm-customer-id"));
        }
    }

    @Test
    void aKeyWithoutANameIsKnownByItsDigestPrefix() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(withNamedKeys(upstream)))
        {
            assertEquals(200, call(proxy, OTHER_KEY).statusCode());

            assertEquals("sha256:" + TestConfig.keyDigest(OTHER_KEY).substring(0, 8), upstream.takeRequest().header("x-litellm-customer-id"));
        }
    }

    @Test
    void theAccessLogNamesTheClientApp() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(withNamedKeys(upstream)))
        {
            call(proxy, BILLING_KEY);

            LogFile.awaitLine(dir.resolve("proxy.log"), "POST /v1/chat/completions 200 route=chat/completions client=billing-bot");
        }
    }

    @Test
    void aClientCannotPoseAsAnotherAppOrChangeAccounting() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(withNamedKeys(upstream)))
        {
            call(proxy, OTHER_KEY, "x-litellm-customer-id", "billing-bot", "X-LiteLLM-End-User-Id", "billing-bot",
                "x-litellm-tags", "free", "x-litellm-spend-logs-metadata", "{\"cost\":0}");

            FakeUpstream.RecordedRequest request = upstream.takeRequest();
            assertEquals("sha256:" + TestConfig.keyDigest(OTHER_KEY).substring(0, 8), request.header("x-litellm-customer-id"));
            assertEquals(1, request.headers().getValuesList("x-litellm-customer-id").size());
            assertNull(request.header("x-litellm-end-user-id"));
            assertNull(request.header("x-litellm-tags"));
            assertNull(request.header("x-litellm-spend-logs-metadata"));
        }
    }

    @Test
    void withoutClientKeysNoClientClaimPassesAndNoneIsMade() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start();
             EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, dir.resolve("proxy.log"))))
        {
            call(proxy, null, "x-litellm-customer-id", "billing-bot", "x-litellm-tags", "free");

            FakeUpstream.RecordedRequest request = upstream.takeRequest();
            assertNull(request.header("x-litellm-customer-id"));
            assertNull(request.header("x-litellm-tags"));
        }
    }

    @Test
    void theAttributionHeaderCanBeRenamedOrTurnedOff() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Map<String, String> renamed = withNamedKeys(upstream);
            renamed.put("CLIENT_ID_HEADER", "X-Calling-App");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(renamed))
            {
                call(proxy, BILLING_KEY, "X-Calling-App", "someone-else");
                FakeUpstream.RecordedRequest request = upstream.takeRequest();
                assertEquals("billing-bot", request.header("X-Calling-App"));
                assertNull(request.header("x-litellm-customer-id"));
            }
            Map<String, String> off = withNamedKeys(upstream);
            off.put("CLIENT_ID_HEADER", "none");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(off))
            {
                call(proxy, BILLING_KEY);
                assertNull(upstream.takeRequest().header("x-litellm-customer-id"));
            }
        }
    }

    @Test
    void aMalformedOrDuplicateNameFailsTheStartNamingTheLineNotTheDigest() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); LogCapture log = LogCapture.start())
        {
            String digest = TestConfig.keyDigest(BILLING_KEY);
            Path keys = Files.writeString(dir.resolve("keys"), "sha256:" + digest + " billing-bot\n"
                + "sha256:" + TestConfig.keyDigest(OTHER_KEY) + " billing-bot\n" + "sha256:" + TestConfig.keyDigest("third") + " bad/name\n");
            Map<String, String> config = TestConfig.against(upstream, dir.resolve("proxy.log"));
            config.put("PROXY_API_KEYS_FILE", keys.toString());
            try (EmbeddedProxy proxy = EmbeddedProxy.startAllowingFailure(config))
            {
                assertFalse(proxy.isWebappAvailable());
            }
            assertTrue(log.text().contains("PROXY_API_KEYS_FILE line 2: the client name 'billing-bot' is already taken"), log.text());
            assertTrue(log.text().contains("PROXY_API_KEYS_FILE line 3: a client name is 1 to 64 of A-Z a-z 0-9 . _ -"), log.text());
            assertFalse(log.text().contains(digest), "a digest was logged");
        }
    }

    private int statusWith(EmbeddedProxy proxy, String key) throws Exception
    {
        return client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).header("Authorization", "Bearer " + key).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Polls until {@code key} gets {@code status}; keys are looked at again every two seconds at most. */
    private void awaitStatus(EmbeddedProxy proxy, String key, int status) throws Exception
    {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (statusWith(proxy, key) != status)
        {
            if (System.nanoTime() > deadline)
                throw new AssertionError(key + " did not get " + status + " within 15 s");
            Thread.sleep(100);
        }
    }

    @Test
    void rotatedKeysTakeEffectWithoutARedeploymentAndABrokenFileKeepsThePreviousOnes() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Map<String, String> config = withNamedKeys(upstream);
            Path keys = Path.of(config.get("PROXY_API_KEYS_FILE"));
            Path log = dir.resolve("proxy.log");
            Files.writeString(keys, "sha256:" + TestConfig.keyDigest(BILLING_KEY) + " billing-bot\n");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                assertEquals(200, statusWith(proxy, BILLING_KEY));
                assertEquals(401, statusWith(proxy, OTHER_KEY));

                Files.writeString(keys, "sha256:" + TestConfig.keyDigest(OTHER_KEY) + " reporting-app\n");
                awaitStatus(proxy, OTHER_KEY, 200);
                assertEquals(401, statusWith(proxy, BILLING_KEY));

                Files.writeString(keys, "sha256:" + TestConfig.keyDigest(BILLING_KEY) + " billing-bot\nnot a digest line\n");
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
                while (!(Files.exists(log) && Files.readString(log).contains("PROXY_API_KEYS_FILE changed but is not valid"))
                    && System.nanoTime() < deadline)
                {
                    statusWith(proxy, OTHER_KEY);
                    Thread.sleep(100);
                }
                assertTrue(Files.readString(log).contains("line 2 is not sha256:"), Files.readString(log));
                assertEquals(200, statusWith(proxy, OTHER_KEY), "the previous keys were not kept");
                assertEquals(401, statusWith(proxy, BILLING_KEY));
            }
        }
    }
}
