package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.RawHttp;
import dev.proxylitellm.support.TestConfig;
import dev.proxylitellm.target.QueryRewriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every raw request in {@code src/test/resources/bad-requests/} is sent over a plain socket and must
 * get the outcome its first line records ({@code # expect: 400 invalid_path}, alternatives
 * separated by {@code |}, {@code forwarded} for a request that must reach upstream intact).
 * Whatever the outcome: nothing outside the base path reaches upstream, a client's {@code app_id}
 * never survives, the injected credentials are the only ones upstream sees, and no secret appears
 * in a response or the log. In a request file, {@code \0}, {@code \r} and {@code \xNN} stand for
 * those bytes and bare line feeds become CRLF.
 */
class BadRequestCorpusTest
{
    private static final Path CORPUS = Path.of("src/test/resources/bad-requests");

    @TempDir
    static Path logs;
    static FakeUpstream upstream;
    static EmbeddedProxy proxy;

    @BeforeAll
    static void start()
    {
        upstream = FakeUpstream.start();
        java.util.Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
        config.put("LOG_LEVEL", System.getProperty("corpus.logLevel", "INFO"));
        config.put("LOG_FILE", System.getProperty("corpus.logFile", logs.resolve("proxy.log").toString()));
        proxy = EmbeddedProxy.start(config);
    }

    @AfterAll
    static void stopAndScanTheLog() throws Exception
    {
        proxy.close();
        upstream.close();
        String log = Files.readString(logs.resolve("proxy.log"), StandardCharsets.ISO_8859_1);
        assertFalse(log.contains(TestConfig.DS_KEY) || log.contains(TestConfig.LITELLM_API_KEY), "a secret was logged");
    }

    static Stream<Path> requests() throws IOException
    {
        return Files.list(CORPUS).filter(file -> file.toString().endsWith(".http")).sorted();
    }

    @Test
    void theCorpusCoversAtLeastSixtyRequests() throws IOException
    {
        assertTrue(requests().count() >= 60, "only " + requests().count() + " requests in the corpus");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void getsItsRecordedOutcomeAndNothingLeaks(Path file) throws Exception
    {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String expect = text.substring("# expect: ".length(), text.indexOf('\n')).trim();
        byte[] request = bytes(text.substring(text.indexOf('\n') + 1));
        upstream.drainRequests();

        RawHttp.RawResponse response = RawHttp.send(proxy.port(), request);

        List<FakeUpstream.RecordedRequest> received = upstream.drainRequests();
        assertOutcome(expect, response, received);
        for (FakeUpstream.RecordedRequest forwarded : received)
            assertSafelyForwarded(forwarded);
        for (String secret : List.of(TestConfig.DS_KEY, TestConfig.LITELLM_API_KEY))
            assertFalse(response.raw().contains(secret), "a secret in the response");
    }

    private static void assertOutcome(String expect, RawHttp.RawResponse response, List<FakeUpstream.RecordedRequest> received)
    {
        for (String alternative : expect.split("\\|"))
        {
            String[] parts = alternative.trim().split(" ");
            if (parts[0].equals("forwarded"))
            {
                if (response.status() == 200 && response.bodyText().equals("{\"ok\":true}") && received.size() == 1)
                    return;
                continue;
            }
            if (response.status() != Integer.parseInt(parts[0]))
                continue;
            if (parts.length > 1)
            {
                assertTrue(response.bodyText().contains("\"code\":\"" + parts[1] + "\""), response.bodyText());
                assertTrue(response.header("Content-Type").startsWith("application/json"));
            }
            assertTrue(received.isEmpty(), "a refused request reached upstream");
            assertFalse(response.bodyText().contains("Exception") || response.bodyText().contains("\tat "), "a stack trace:\n" + response.bodyText());
            return;
        }
        fail("expected " + expect + " but got " + response.status() + " (" + received.size() + " upstream requests):\n" + response.raw());
    }

    private static void assertSafelyForwarded(FakeUpstream.RecordedRequest forwarded)
    {
        String path = forwarded.path();
        assertTrue(path.equals("/v1") || path.startsWith("/v1/"), "reached upstream outside the base path: " + path);
        assertFalse(path.contains("..") || path.toLowerCase(Locale.ROOT).contains("%2e") || path.contains("\\"), path);
        String query = forwarded.query();
        String appId = "app_id=" + TestConfig.APP_ID;
        assertTrue(query.equals(appId) || query.endsWith("&" + appId), "app_id not last: " + query);
        String others = query.equals(appId) ? "" : query.substring(0, query.length() - appId.length() - 1);
        assertEquals(others, QueryRewriter.withoutAppId(others), "a client app_id survived: " + query);
        assertEquals(List.of(TestConfig.DS_KEY), forwarded.headers().getValuesList("Authorization"));
        assertEquals(List.of("Bearer " + TestConfig.LITELLM_API_KEY), forwarded.headers().getValuesList("X-LiteLLM-Key"));
        for (String header : List.of("x-litellm-api-key", "api-key", "x-api-key", "proxy-authorization"))
            assertEquals(null, forwarded.header(header), header + " reached upstream");
    }

    /** Turns the file's text into request bytes: escapes decoded, bare LF to CRLF, a blank line to end the head. */
    static byte[] bytes(String text)
    {
        String request = text.contains("\n\n") ? text : text + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < request.length(); i++)
        {
            char c = request.charAt(i);
            if (c == '\\' && i + 1 < request.length())
            {
                char next = request.charAt(i + 1);
                if (next == '0')
                {
                    out.write(0);
                    i++;
                    continue;
                }
                if (next == 'r')
                {
                    out.write('\r');
                    i++;
                    continue;
                }
                if (next == 'x' && i + 3 < request.length())
                {
                    out.write(Integer.parseInt(request.substring(i + 2, i + 4), 16));
                    i += 3;
                    continue;
                }
            }
            if (c == '\n' && (i == 0 || request.charAt(i - 1) != '\r'))
                out.write('\r');
            byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            out.write(encoded, 0, encoded.length);
        }
        return out.toByteArray();
    }
}
