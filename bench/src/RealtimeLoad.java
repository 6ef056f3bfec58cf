import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Realtime relay latency: {@code sessions} WebSocket sessions at once, each sending
 * {@code messages} text messages one after the other to an echo and timing each round trip.
 * A first pass warms both JVMs up and is not counted. Args: ws-uri sessions messages.
 */
public final class RealtimeLoad
{
    public static void main(String[] args) throws Exception
    {
        URI uri = URI.create(args[0]);
        int sessions = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        run(uri, sessions, messages);
        List<Double> roundTrips = run(uri, sessions, messages);
        Collections.sort(roundTrips);
        System.out.printf("sessions=%d messages=%d rtt_p50_ms=%.2f rtt_p99_ms=%.2f%n", sessions, roundTrips.size(),
            roundTrips.get(roundTrips.size() / 2), roundTrips.get((int)Math.ceil(roundTrips.size() * 0.99) - 1));
    }

    private static List<Double> run(URI uri, int sessions, int messages) throws Exception
    {
        HttpClient http = HttpClient.newHttpClient();
        List<Double> roundTrips = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < sessions; s++)
        {
            int session = s;
            done.add(pool.submit(() ->
            {
                BlockingQueue<String> echoes = new ArrayBlockingQueue<>(4);
                WebSocket socket = http.newWebSocketBuilder().subprotocols("realtime").header("Authorization", "Bearer bench-client")
                    .buildAsync(uri, new WebSocket.Listener()
                    {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
                        {
                            text.append(data);
                            if (last)
                            {
                                echoes.add(text.toString());
                                text.setLength(0);
                            }
                            webSocket.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
                for (int i = 0; i < messages; i++)
                {
                    String message = "{\"type\":\"input_audio_buffer.append\",\"session\":" + session + ",\"n\":" + i + ",\"audio\":\"UklGRiQAAABXQVZFZm10IBAAAAABAAEA\"}";
                    long sent = System.nanoTime();
                    socket.sendText(message, true).get(30, TimeUnit.SECONDS);
                    if (!message.equals(echoes.poll(30, TimeUnit.SECONDS)))
                        throw new IllegalStateException("wrong or missing echo");
                    roundTrips.add((System.nanoTime() - sent) / 1e6);
                }
                socket.sendClose(1000, "done").get(30, TimeUnit.SECONDS);
                return null;
            }));
        }
        for (Future<?> session : done)
            session.get(10, TimeUnit.MINUTES);
        pool.shutdown();
        return roundTrips;
    }
}
