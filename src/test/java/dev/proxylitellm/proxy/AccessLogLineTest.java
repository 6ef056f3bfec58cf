package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.LogFile;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default, human-readable access log line, field by field. */
class AccessLogLineTest
{
    private static final Pattern LINE = Pattern.compile(
        "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^]]+] dev\\.proxylitellm\\.access (?<id>\\S+) - "
            + "(?<method>\\S+) (?<path>\\S+) (?<status>\\d+) route=(?<route>\\S+) client=(?<client>\\S+) upstream=(?<upstream>\\S+) "
            + "ttfb=(?<ttfb>\\d+)ms total=(?<total>\\d+)ms in=(?<in>\\d+)B out=(?<out>\\d+)B model=(?<model>\\S+) tokens=(?<tokens>\\S+)"
            + "(?: events=(?<events>\\d+))? outcome=(?<outcome>\\S+)");

    @TempDir
    Path logs;

    @Test
    void aStreamsLineHasEveryField() throws Exception
    {
        List<String> events = List.of(
            "data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"secret completion\"}}]}\n\n",
            "data: {\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}\n\n",
            "data: [DONE]\n\n");
        String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"secret prompt\"}]}";
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            upstream.script(Scripts.sse(events, 0));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions?x=1"))
                .header("X-Request-Id", "line-test-1").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            LogFile.awaitLine(logs.resolve("proxy.log"), "dev.proxylitellm.access line-test-1");
        }
        String log = Files.readString(logs.resolve("proxy.log"));
        Matcher line = log.lines().map(LINE::matcher).filter(Matcher::matches).findFirst()
            .orElseThrow(() -> new AssertionError("no access line in\n" + log));
        assertEquals("line-test-1", line.group("id"));
        assertEquals("POST", line.group("method"));
        assertEquals("/v1/chat/completions", line.group("path"));
        assertEquals("200", line.group("status"));
        assertEquals("chat/completions", line.group("route"));
        assertEquals("-", line.group("client"));
        assertEquals("200", line.group("upstream"));
        assertEquals(String.valueOf(body.length()), line.group("in"));
        assertEquals(String.valueOf(String.join("", events).length()), line.group("out"));
        assertEquals("gpt-4o", line.group("model"));
        assertEquals("3/4/7", line.group("tokens"));
        assertEquals("3", line.group("events"));
        assertEquals("ok", line.group("outcome"));
        assertTrue(Long.parseLong(line.group("total")) >= Long.parseLong(line.group("ttfb")));
        assertTrue(!log.contains("secret prompt") && !log.contains("secret completion"), "a body was logged");
    }

    @Test
    void theUsageOfAGzippedAnswerIsReadWhileTheClientGetsItCompressed() throws Exception
    {
        String answer = "{\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":5,\"total_tokens\":7}}";
        byte[] compressed = Scripts.gzip(answer);
        try (FakeUpstream upstream = FakeUpstream.start(); EmbeddedProxy proxy = EmbeddedProxy.start(TestConfig.against(upstream, logs.resolve("proxy.log"))))
        {
            upstream.script((request, exchange) ->
            {
                exchange.status(200).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                    .header("Content-Length", String.valueOf(compressed.length));
                exchange.write(compressed);
            });
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
                .header("Accept-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(compressed, response.body());
            String line = LogFile.awaitLine(logs.resolve("proxy.log"), "POST /v1/chat/completions 200");
            assertTrue(line.contains(" model=gpt-4o tokens=2/5/7 "), line);
        }
    }
}
