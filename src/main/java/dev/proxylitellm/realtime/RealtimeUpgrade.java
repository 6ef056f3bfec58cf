package dev.proxylitellm.realtime;

import dev.proxylitellm.access.ClientAccessFilter;
import dev.proxylitellm.errors.ErrorResponses;
import dev.proxylitellm.http.RequestIds;
import dev.proxylitellm.metrics.ExchangeMetrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.Map;

/**
 * The part of a realtime handshake that needs the container's WebSocket API: kept apart from
 * {@link RealtimeServlet} so that in a container without that API only this class fails to
 * load, on a realtime call, and the rest of the proxy deploys and works.
 */
final class RealtimeUpgrade
{
    private RealtimeUpgrade()
    {
    }

    /** Opens the upstream session first, then upgrades the client; a refusal is answered as the client's handshake status. */
    static void upgrade(Object serverContainer, HttpServletRequest request, HttpServletResponse response, URI target,
        UpstreamSessions sessions, RealtimeSettings settings, ExchangeMetrics metrics) throws IOException
    {
        String requestId = (String)request.getAttribute(RequestIds.ATTRIBUTE);
        RealtimeRelay relay = new RealtimeRelay(settings, metrics, requestId, (String)request.getAttribute(ClientAccessFilter.CLIENT_IDENTITY));
        WebSocket upstream;
        try
        {
            upstream = sessions.connect(request, target, requestId, relay.upstreamListener());
        }
        catch (UpstreamRefusal refusal)
        {
            ErrorResponses.write(response, refusal.error());
            return;
        }
        relay.upstreamOpened(upstream);
        try
        {
            ((ServerContainer)serverContainer).upgradeHttpToWebSocket(request, response,
                RelayEndpointConfig.create(relay, upstream.getSubprotocol()), Map.of());
        }
        catch (DeploymentException x)
        {
            upstream.abort();
            throw new IOException("the WebSocket upgrade failed", x);
        }
    }
}
