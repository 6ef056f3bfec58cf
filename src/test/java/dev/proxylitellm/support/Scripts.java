package dev.proxylitellm.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Ready-made {@link FakeUpstream.Script}s. */
public final class Scripts
{
    private Scripts()
    {
    }

    public static FakeUpstream.Script json(int status, String body)
    {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return bytes(status, "application/json", bytes);
    }

    public static FakeUpstream.Script bytes(int status, String contentType, byte[] body)
    {
        return (request, exchange) ->
        {
            exchange.status(status).header("Content-Type", contentType).header("Content-Length", String.valueOf(body.length));
            exchange.write(body);
        };
    }

    /** Echoes the request body back, with its content type. */
    public static FakeUpstream.Script echo()
    {
        return (request, exchange) ->
        {
            String type = request.header("Content-Type");
            exchange.status(200)
                .header("Content-Type", type == null ? "application/octet-stream" : type)
                .header("Content-Length", String.valueOf(request.body().length));
            exchange.write(request.body());
        };
    }

    /** Streams {@code events} as SSE, {@code gapMillis} apart, without a content length. */
    public static FakeUpstream.Script sse(List<String> events, long gapMillis)
    {
        return (request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "text/event-stream; charset=utf-8").header("Cache-Control", "no-cache");
            for (int i = 0; i < events.size(); i++)
            {
                if (i > 0)
                    Thread.sleep(gapMillis);
                exchange.write(events.get(i));
            }
        };
    }

    public static byte[] gzip(String text)
    {
        try
        {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(bytes))
            {
                gzip.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return bytes.toByteArray();
        }
        catch (IOException x)
        {
            throw new IllegalStateException(x);
        }
    }

    /** An OpenAI chat.completion.chunk event carrying {@code content}. */
    public static String chunkEvent(int index, String content)
    {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
            + content + "\"}}],\"n\":" + index + "}\n\n";
    }
}
