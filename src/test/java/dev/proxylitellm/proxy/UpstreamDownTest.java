package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.DeadUpstreams;
import dev.proxylitellm.support.DeadUpstreams.Fault;
import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.MetricsPage;
import dev.proxylitellm.support.RawHttp;
import dev.proxylitellm.support.RequestShapes;
import dev.proxylitellm.support.TestConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An upstream that cannot answer: every method, without a body, with a Content-Length body and
 * with a chunked one, gets the documented OpenAI-shaped 502, is logged with the upstream outcome
 * and counted as an upstream error of the right kind.
 */
class UpstreamDownTest
{
    @TempDir
    Path logs;

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyRequestShapeGetsA502InTheOpenAiShape(Fault fault) throws Exception
    {
        try (FakeUpstream unused = FakeUpstream.start(); DeadUpstreams.Blackhole blackhole = new DeadUpstreams.Blackhole();
             DeadUpstreams.Resetting resetting = new DeadUpstreams.Resetting())
        {
            URI base = switch (fault)
            {
                case REFUSED -> DeadUpstreams.refused();
                case UNRESOLVABLE -> DeadUpstreams.unresolvable();
                case CONNECT_TIMEOUT -> blackhole.baseUrl();
                case RESET_BEFORE_HEADERS -> resetting.baseUrl();
            };
            Map<String, String> config = TestConfig.against(base, logs.resolve("proxy.log"));
            config.put("UPSTREAM_CONNECT_TIMEOUT_MS", "500");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                String code = fault == Fault.RESET_BEFORE_HEADERS ? "upstream_error" : "upstream_unreachable";
                List<String> wrong = new ArrayList<>();
                for (RequestShapes.Shape shape : RequestShapes.all())
                {
                    RawHttp.RawResponse response = RawHttp.send(proxy.port(), shape.request("/v1/chat/completions"));
                    String json = "\"code\":\"" + code + "\"";
                    boolean right = response.status() == 502 && String.valueOf(response.header("Content-Type")).startsWith("application/json")
                        && (shape.method().equals("HEAD") || response.bodyText().startsWith("{\"error\":{") && response.bodyText().contains(json));
                    if (!right)
                        wrong.add(shape + " -> " + response.status() + " " + response.bodyText());
                }
                assertTrue(wrong.isEmpty(), fault + ": " + wrong);

                MetricsPage metrics = new MetricsPage(HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.uri("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
                String kind = fault == Fault.RESET_BEFORE_HEADERS ? "reset" : "connect";
                assertEquals(21.0, metrics.value("proxy_litellm_upstream_errors_total", "kind", kind), metrics.text());
                double counted = 0;
                for (String method : RequestShapes.METHODS)
                {
                    Double value = metrics.value("proxy_litellm_requests_total", "method", method, "outcome", "upstream_error",
                        "route", "chat/completions", "status_class", "5xx");
                    counted += value == null ? 0 : value;
                }
                assertEquals(21.0, counted, metrics.text());
                long logged = Files.readAllLines(logs.resolve("proxy.log")).stream()
                    .filter(line -> line.contains("/v1/chat/completions 502 ") && line.endsWith("outcome=upstream_error")).count();
                assertEquals(21, logged);
            }
        }
    }
}
