package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.Scripts;
import dev.proxylitellm.support.TestConfig;
import dev.proxylitellm.support.TrafficMix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whatever LOG_LEVEL and LOG_FORMAT say, every request is counted exactly once, and at DEBUG the
 * proxy tells each request's story in a handful of lines however long its response, without
 * Jetty's per-chunk internals.
 */
class LogModesTest
{
    @TempDir
    Path logs;

    @ParameterizedTest
    @CsvSource({"INFO, text", "INFO, json", "DEBUG, text", "DEBUG, json"})
    void everyRequestIsCountedOnce(String level, String format) throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.put("LOG_LEVEL", level);
            config.put("LOG_FORMAT", format);
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                TrafficMix mix = TrafficMix.run(upstream, proxy.uri(""));

                assertEquals(mix.expectedCounts(), mix.counted());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"text", "json"})
    void debugTellsEachRequestInAFewLinesWithoutJettysInternals(String format) throws Exception
    {
        Path logFile = logs.resolve("proxy.log");
        try (FakeUpstream upstream = FakeUpstream.start())
        {
            Map<String, String> config = TestConfig.against(upstream, logFile);
            config.put("LOG_LEVEL", "DEBUG");
            config.put("LOG_FORMAT", format);
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                List<String> events = new java.util.ArrayList<>();
                for (int i = 0; i < 200; i++)
                    events.add(Scripts.chunkEvent(i, "w" + i));
                events.add("data: [DONE]\n\n");
                upstream.script(Scripts.sse(events, 0));
                java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
                    .header("X-Request-Id", "long-stream-1").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
                dev.proxylitellm.support.LogFile.awaitLine(logFile, "outcome");
            }
        }
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        List<String> story = lines.stream().filter(line -> line.contains("long-stream-1")).toList();
        assertTrue(story.size() >= 3 && story.size() <= 15, story.size() + " lines: " + String.join("\n", story));
        String all = String.join("\n", story);
        assertTrue(all.contains("-> http://127.0.0.1:"), "no rewritten target in:\n" + all);
        assertTrue(all.contains("upstream answered 200"), "no upstream status in:\n" + all);
        assertTrue(all.contains("Authorization: [REDACTED]"), "no redacted credential header in:\n" + all);
        if (format.equals("json"))
        {
            ObjectMapper json = new ObjectMapper();
            for (String line : lines)
            {
                JsonNode node = json.readTree(line);
                boolean jettyDebug = node.path("logger_name").asText().startsWith("org.eclipse.jetty") && node.path("level").asText().equals("DEBUG");
                assertTrue(!jettyDebug, "Jetty internals at DEBUG: " + line);
            }
        }
        else
        {
            assertTrue(lines.size() < 40, lines.size() + " lines for one stream:\n" + String.join("\n", lines));
        }
    }

}
