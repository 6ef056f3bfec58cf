import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * An upstream of Server-Sent Events that never blocks a thread per stream: every request gets
 * {@code chunks} chat-completion chunks {@code gap} ms apart (query parameters, default 11 and
 * 100), then {@code data: [DONE]}; with {@code think} (ms, default 0) the headers go out first and
 * the first chunk that long after them, the way a model's first token follows its API's headers.
 * Each chunk carries its send time in epoch microseconds ({@code "t"}), so a client on the same
 * machine can tell how long it spent in between. Arg: port.
 */
public final class SseUpstream
{
    public static void main(String[] args) throws Exception
    {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        connector.setAcceptQueueSize(8192);
        connector.setIdleTimeout(120_000);
        server.addConnector(connector);
        Scheduler scheduler = new ScheduledExecutorScheduler("sse", false, 2);
        server.addBean(scheduler);
        server.setHandler(new Handler.Abstract.NonBlocking()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                Fields query = Request.extractQueryParameters(request);
                int chunks = query.get("chunks") == null ? 11 : Integer.parseInt(query.get("chunks").getValue());
                long gap = query.get("gap") == null ? 100 : Long.parseLong(query.get("gap").getValue());
                long think = query.get("think") == null ? 0 : Long.parseLong(query.get("think").getValue());
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                Stream stream = new Stream(response, callback, scheduler, chunks, gap);
                if (think > 0)
                    response.write(false, ByteBuffer.allocate(0), Callback.from(
                        () -> scheduler.schedule(() -> stream.send(0), think, TimeUnit.MILLISECONDS), callback::failed));
                else
                    stream.send(0);
                return true;
            }
        });
        server.start();
        System.out.println("READY " + connector.getLocalPort());
        server.join();
    }

    private record Stream(Response response, Callback done, Scheduler scheduler, int chunks, long gap)
    {
        void send(int index)
        {
            if (index == chunks)
            {
                response.write(true, ByteBuffer.wrap("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII)), done);
                return;
            }
            Instant now = Instant.now();
            long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
            String event = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"bench\",\"t\":" + micros
                + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token " + index + " \"}}]}\n\n";
            response.write(false, ByteBuffer.wrap(event.getBytes(StandardCharsets.US_ASCII)), Callback.from(
                () -> scheduler.schedule(() -> send(index + 1), gap, TimeUnit.MILLISECONDS), done::failed));
        }
    }
}
