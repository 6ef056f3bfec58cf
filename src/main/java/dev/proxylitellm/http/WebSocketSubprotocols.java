package dev.proxylitellm.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The subprotocols a WebSocket handshake offers, in order, from every {@code Sec-WebSocket-Protocol} header. */
public final class WebSocketSubprotocols
{
    private WebSocketSubprotocols()
    {
    }

    public static List<String> offered(HttpServletRequest request)
    {
        List<String> subprotocols = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("Sec-WebSocket-Protocol")))
        {
            for (String protocol : header.split(","))
            {
                String trimmed = protocol.trim();
                if (!trimmed.isEmpty())
                    subprotocols.add(trimmed);
            }
        }
        return subprotocols;
    }
}
