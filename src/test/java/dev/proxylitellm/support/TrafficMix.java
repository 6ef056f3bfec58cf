package dev.proxylitellm.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A known mix of calls through the proxy — plain and streamed chat, model lists, a delete, an
 * upstream reset and a refused path — and what the metrics page must count for it afterwards:
 * each request exactly once, under its route, method, status class and outcome.
 */
public final class TrafficMix
{
    private static final String REQUESTS = "proxy_litellm_requests_total";
    private final Map<String, Double> expected = new TreeMap<>();
    private final URI metricsUri;
    private final MetricsPage before;

    private TrafficMix(URI metricsUri) throws Exception
    {
        this.metricsUri = metricsUri;
        this.before = page(metricsUri);
    }

    private static MetricsPage page(URI metricsUri) throws Exception
    {
        return new MetricsPage(HttpClient.newHttpClient().send(HttpRequest.newBuilder(metricsUri).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /**
     * Sends the mix to {@code base} (the proxy's context root, without a trailing slash) with
     * {@code upstream} answering; each call is answered whole before the next.
     */
    public static TrafficMix run(FakeUpstream upstream, URI base) throws Exception
    {
        upstream.script((request, exchange) ->
        {
            String body = request.bodyText();
            if (body.contains("reset"))
                exchange.reset();
            else if (body.contains("\"stream\":true"))
                Scripts.sse(List.of(Scripts.chunkEvent(0, "a"), Scripts.chunkEvent(1, "b"), "data: [DONE]\n\n"), 5).respond(request, exchange);
            else
                Scripts.json(200, "{\"model\":\"mix-model\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}")
                    .respond(request, exchange);
        });
        TrafficMix mix = new TrafficMix(URI.create(base + "/metrics"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 3; i++)
            mix.send(client, base, "GET", "/v1/models", null, "models", "2xx", "ok");
        for (int i = 0; i < 2; i++)
            mix.send(client, base, "POST", "/v1/chat/completions", "{\"model\":\"m\"}", "chat/completions", "2xx", "ok");
        for (int i = 0; i < 2; i++)
            mix.send(client, base, "POST", "/v1/chat/completions", "{\"stream\":true}", "chat/completions", "2xx", "ok");
        mix.send(client, base, "POST", "/v1/embeddings", "{\"reset\":1}", "embeddings", "5xx", "upstream_error");
        mix.send(client, base, "DELETE", "/v1/files/file-1", null, "files", "2xx", "ok");
        mix.send(client, base, "GET", "/v1/models;app_id=evil", null, "other", "4xx", "rejected");
        return mix;
    }

    private void send(HttpClient client, URI base, String method, String path, String body, String route, String statusClass,
        String outcome) throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        expected.merge(key(route, method, statusClass, outcome), 1.0, Double::sum);
    }

    private static String key(String route, String method, String statusClass, String outcome)
    {
        return route + " " + method + " " + statusClass + " " + outcome;
    }

    /** What the metrics page must show: count by route, method, status class and outcome. */
    public Map<String, Double> expectedCounts()
    {
        return expected;
    }

    /**
     * What the metrics page counted for the mix, by the expected series, plus "(other series)"
     * for anything counted elsewhere; it waits until nothing is in flight and the total has
     * grown by the mix's size, or ten seconds passed.
     */
    public Map<String, Double> counted() throws Exception
    {
        double total = expected.values().stream().mapToDouble(Double::doubleValue).sum();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        MetricsPage after;
        do
        {
            after = page(metricsUri);
            Double inFlight = after.value("proxy_litellm_requests_in_flight");
            if (after.sum(REQUESTS) - before.sum(REQUESTS) >= total && inFlight != null && inFlight == 0)
                break;
            Thread.sleep(50);
        }
        while (System.nanoTime() < deadline);
        Map<String, Double> counted = new TreeMap<>();
        for (String key : expected.keySet())
        {
            String[] labels = key.split(" ");
            counted.put(key, count(after, labels) - count(before, labels));
        }
        double others = after.sum(REQUESTS) - before.sum(REQUESTS) - counted.values().stream().mapToDouble(Double::doubleValue).sum();
        if (others != 0)
            counted.put("(other series)", others);
        return counted;
    }

    private static double count(MetricsPage page, String[] labels)
    {
        Double value = page.value(REQUESTS, "route", labels[0], "method", labels[1], "status_class", labels[2], "outcome", labels[3]);
        return value == null ? 0 : value;
    }
}
