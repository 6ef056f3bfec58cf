package dev.proxylitellm.support;

import java.util.ArrayList;
import java.util.List;

/**
 * Every method the proxy forwards, each without a body, with a {@code Content-Length} body and
 * with a chunked body, as raw HTTP/1.1 requests: the matrix that failure-path tests run through,
 * so that a fault tested with {@code GET} cannot hide the {@code POST} that users send.
 */
public final class RequestShapes
{
    public static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
    static final String BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    /** How a request carries its body. */
    public enum Body
    {
        NONE, CONTENT_LENGTH, CHUNKED
    }

    /** One method with one kind of body. */
    public record Shape(String method, Body body)
    {
        /** The raw request for {@code path} (already including any context path). */
        public String request(String path)
        {
            StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n");
            switch (body)
            {
                case NONE -> request.append("\r\n");
                case CONTENT_LENGTH -> request.append("Content-Type: application/json\r\nContent-Length: ").append(BODY.length())
                    .append("\r\n\r\n").append(BODY);
                case CHUNKED -> request.append("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .append(Integer.toHexString(10)).append("\r\n").append(BODY, 0, 10).append("\r\n")
                    .append(Integer.toHexString(BODY.length() - 10)).append("\r\n").append(BODY.substring(10)).append("\r\n0\r\n\r\n");
            }
            return request.toString();
        }

        @Override
        public String toString()
        {
            return method + " " + body.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private RequestShapes()
    {
    }

    /** All 21 shapes. */
    public static List<Shape> all()
    {
        List<Shape> shapes = new ArrayList<>();
        for (String method : METHODS)
        {
            for (Body body : Body.values())
                shapes.add(new Shape(method, body));
        }
        return shapes;
    }
}
