package dev.proxylitellm.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Clients at a concurrency limit of {@code n} that each send their next call the moment they
 * have their previous answer whole: none of them may ever be refused. Also an upstream script
 * that answers slowly, in the three ways a response can end (length, chunked, event stream).
 */
public final class BackToBack
{
    private BackToBack()
    {
    }

    /** Answers after {@code delayMs}: a JSON body with a length, a chunked one, or an event stream, by turns. */
    public static FakeUpstream.Script slowAnswers(long delayMs)
    {
        java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
        return (request, exchange) ->
        {
            Thread.sleep(delayMs);
            switch (turn.getAndIncrement() % 3)
            {
                case 0 -> Scripts.json(200, "{\"ok\":true}").respond(request, exchange);
                case 1 ->
                {
                    exchange.status(200).header("Content-Type", "application/json");
                    exchange.write("{\"ok\":");
                    exchange.write("true}");
                }
                default ->
                {
                    exchange.status(200).header("Content-Type", "text/event-stream");
                    exchange.write(Scripts.chunkEvent(0, "hi"));
                    exchange.write("data: [DONE]\n\n");
                }
            }
        };
    }

    /**
     * Runs {@code clients} loops of {@code calls} calls each, every call sent as soon as the same
     * client's previous answer was read whole.
     *
     * @return the status of every call, in no particular order
     */
    public static List<Integer> run(URI uri, int clients, int calls) throws Exception
    {
        List<CompletableFuture<List<Integer>>> loops = new ArrayList<>();
        for (int c = 0; c < clients; c++)
        {
            loops.add(CompletableFuture.supplyAsync(() ->
            {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < calls; i++)
                {
                    try
                    {
                        statuses.add(client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode());
                    }
                    catch (Exception x)
                    {
                        statuses.add(-1);
                    }
                }
                return statuses;
            }));
        }
        List<Integer> all = new ArrayList<>();
        for (CompletableFuture<List<Integer>> loop : loops)
            all.addAll(loop.get());
        return all;
    }
}
