package dev.proxylitellm.local;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A tiny OpenAI-compatible upstream for trying the proxy without a LiteLLM: {@code GET /v1/models},
 * and {@code POST /v1/chat/completions} and {@code /v1/completions}, with and without
 * {@code stream} (including {@code stream_options.include_usage}). Its answers are canned; it reads
 * only the {@code model}, {@code stream} and {@code include_usage} fields of a request.
 */
public final class StubLiteLlm implements AutoCloseable
{
    static final String MODEL = "stub-model";
    private static final String[] WORDS = {"Hello", " from", " the", " proxy-litellm", " stub", "."};
    private static final Pattern MODEL_FIELD = Pattern.compile("\"model\"\\s*:\\s*\"([^\"\\\\]{1,100})\"");
    private static final Pattern STREAM_TRUE = Pattern.compile("\"stream\"\\s*:\\s*true");
    private static final Pattern INCLUDE_USAGE = Pattern.compile("\"include_usage\"\\s*:\\s*true");

    private final Server server;
    private final ServerConnector connector;

    private StubLiteLlm() throws Exception
    {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception
            {
                respond(request, response);
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    public static StubLiteLlm start() throws Exception
    {
        return new StubLiteLlm();
    }

    /** The base URL to configure as {@code LITELLM_BASE_URL}. */
    public URI baseUrl()
    {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/v1");
    }

    private static void respond(Request request, Response response) throws Exception
    {
        String path = Request.getPathInContext(request);
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        String model = field(MODEL_FIELD, body, MODEL);
        boolean stream = STREAM_TRUE.matcher(body).find();
        boolean usage = INCLUDE_USAGE.matcher(body).find();
        switch (request.getMethod() + " " + path)
        {
            case "GET /v1/models" -> json(response, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL
                + "\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"proxy-litellm-stub\"}]}");
            case "POST /v1/chat/completions" ->
            {
                if (stream)
                    stream(response, model, true, usage);
                else
                    json(response, 200, "{\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\""
                        + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + String.join("", WORDS)
                        + "\"},\"finish_reason\":\"stop\"}]," + usageJson() + "}");
            }
            case "POST /v1/completions" ->
            {
                if (stream)
                    stream(response, model, false, usage);
                else
                    json(response, 200, "{\"id\":\"cmpl-stub\",\"object\":\"text_completion\",\"created\":1700000000,\"model\":\""
                        + model + "\",\"choices\":[{\"index\":0,\"text\":\"" + String.join("", WORDS)
                        + "\",\"finish_reason\":\"stop\"}]," + usageJson() + "}");
            }
            default -> json(response, 404, "{\"error\":{\"message\":\"The stub LiteLLM serves only /v1/models, /v1/chat/completions "
                + "and /v1/completions.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"not_found\"}}");
        }
    }

    private static void stream(Response response, String model, boolean chat, boolean usage) throws Exception
    {
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "text/event-stream");
        response.getHeaders().put("Cache-Control", "no-cache");
        String object = chat ? "chat.completion.chunk" : "text_completion";
        for (int i = 0; i < WORDS.length; i++)
        {
            String choice = chat
                ? "{\"index\":0,\"delta\":{" + (i == 0 ? "\"role\":\"assistant\"," : "") + "\"content\":\"" + WORDS[i] + "\"},\"finish_reason\":null}"
                : "{\"index\":0,\"text\":\"" + WORDS[i] + "\",\"finish_reason\":null}";
            write(response, "data: {\"id\":\"stub\",\"object\":\"" + object + "\",\"created\":1700000000,\"model\":\"" + model
                + "\",\"choices\":[" + choice + "]}\n\n");
            Thread.sleep(50);
        }
        if (usage)
            write(response, "data: {\"id\":\"stub\",\"object\":\"" + object + "\",\"created\":1700000000,\"model\":\"" + model
                + "\",\"choices\":[]," + usageJson() + "}\n\n");
        write(response, "data: [DONE]\n\n");
    }

    private static String usageJson()
    {
        return "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":" + WORDS.length + ",\"total_tokens\":" + (5 + WORDS.length) + "}";
    }

    private static void json(Response response, int status, String json) throws Exception
    {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        response.getHeaders().put("Content-Length", String.valueOf(bytes.length));
        Content.Sink.write(response, true, ByteBuffer.wrap(bytes));
    }

    private static void write(Response response, String text) throws Exception
    {
        Content.Sink.write(response, false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String field(Pattern pattern, String body, String fallback)
    {
        Matcher matcher = pattern.matcher(body);
        return matcher.find() ? matcher.group(1) : fallback;
    }

    @Override
    public void close() throws Exception
    {
        server.stop();
    }
}
