package dev.proxylitellm.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Node SDK against a client at its request limit: the proxy's 429 makes the
 * SDK wait the time it names and retry, and the retry succeeds. The SDK (pinned in pom.xml) is
 * installed with npm into {@code target/openai-node} once.
 */
class OpenAiSdkRetryTest
{
    private static final String SDK_VERSION = System.getProperty("openai-node.version", "6.49.0");

    @TempDir
    Path dir;

    @Test
    void theSdkWaitsAsThe429SaysAndItsRetrySucceeds() throws Exception
    {
        Path sdk = installSdk();
        Path script = Files.copy(Path.of("src/test/resources/sdk/retry.mjs"), sdk.resolve("retry.mjs"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            upstream.script(Scripts.json(200, "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"sdk-model\",\"choices\":[]}"));
            Map<String, String> config = TestConfig.against(upstream, dir.resolve("proxy.log"));
            config.put("PROXY_API_KEYS", "pk-sdk-client-5d1e");
            config.put("RATE_LIMITS", "*:rpm=60");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                String base = proxy.uri("/v1").toString();
                List<String> output = run(sdk, List.of("node", script.toString(), base, "61"));

                JsonNode result = new ObjectMapper().readTree(output.get(output.size() - 1));
                String log = Files.readString(dir.resolve("proxy.log"));
                System.out.println("OpenAI Node SDK " + SDK_VERSION + ": 61 calls at rpm=60: " + result);
                assertEquals(61, upstream.drainRequests().size(), "the refused call reached upstream, or a retry did not");
                assertTrue(log.contains("POST /v1/chat/completions 429"), "no call was refused:\n" + log);
                assertEquals(1, result.get("refusals").size(), result.toString());
                long told = result.get("refusals").get(0).get("retryAfterMs").asLong();
                // At rpm=60 the bucket has a request again within a second; the SDK waited as told, then succeeded.
                assertTrue(told > 0 && told <= 1000, "retry-after-ms " + told);
                assertTrue(result.get("lastMs").asLong() >= told, "the SDK did not wait the " + told + " ms it was told: " + result);
            }
        }
    }

    private static Path installSdk() throws Exception
    {
        Path home = Path.of("target", "openai-node").toAbsolutePath();
        Path installed = home.resolve("node_modules/openai/package.json");
        if (Files.exists(installed) && Files.readString(installed).contains("\"version\": \"" + SDK_VERSION + "\""))
            return home;
        Files.createDirectories(home);
        run(home, List.of("npm", "install", "--silent", "--no-audit", "--no-fund", "openai@" + SDK_VERSION));
        return home;
    }

    private static List<String> run(Path directory, List<String> command) throws Exception
    {
        Process process;
        try
        {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        }
        catch (IOException missing)
        {
            throw new IllegalStateException(command.get(0) + " is not installed: this test needs Node.js and npm (.ci/run installs them)", missing);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
        }
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + String.join("\n", lines));
        return lines;
    }
}
