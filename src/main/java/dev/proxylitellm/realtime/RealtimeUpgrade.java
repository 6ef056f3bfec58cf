package dev.proxylitellm.realtime;

import dev.proxylitellm.access.ClientAccessFilter;
import dev.proxylitellm.errors.ErrorResponses;
import dev.proxylitellm.http.RequestIds;
import dev.proxylitellm.metrics.ExchangeMetrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.Optional;

/**
 * The part of a realtime handshake that needs the container's WebSocket API: kept apart from
 * {@link RealtimeServlet} so that in a container without that API only this class fails to
 * load, on a realtime call, and the rest of the proxy deploys and works. The upgrade goes through
 * {@code ServerContainer.upgradeHttpToWebSocket} (WebSocket 2.1); the javax API (1.1) lacks it,
 * but Tomcat 9's container has a public method of the same shape, which the javax WAR uses.
 */
final class RealtimeUpgrade
{
    private static final ClassValue<Optional<Method>> UPGRADE_METHODS = new ClassValue<>()
    {
        @Override
        protected Optional<Method> computeValue(Class<?> containerType)
        {
            return upgradeMethod(containerType);
        }
    };

    private RealtimeUpgrade()
    {
    }

    /** Whether this container can upgrade a servlet request to a WebSocket session. */
    static boolean supported(Object serverContainer)
    {
        return UPGRADE_METHODS.get(serverContainer.getClass()).isPresent();
    }

    /** Opens the upstream session first, then upgrades the client; a refusal is answered as the client's handshake status. */
    static void upgrade(Object serverContainer, HttpServletRequest request, HttpServletResponse response, URI target,
        UpstreamSessions sessions, RealtimeSettings settings, ExchangeMetrics metrics) throws IOException
    {
        Method upgrade = UPGRADE_METHODS.get(serverContainer.getClass()).orElseThrow();
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
            upgrade.invoke(serverContainer, request, response, RelayEndpointConfig.create(relay, upstream.getSubprotocol()), Map.of());
        }
        catch (InvocationTargetException x)
        {
            upstream.abort();
            throw new IOException("the WebSocket upgrade failed", x.getCause());
        }
        catch (ReflectiveOperationException | RuntimeException | LinkageError x)
        {
            // Whatever failed, the upstream session opened above must not outlive the handshake.
            upstream.abort();
            throw new IOException("the WebSocket upgrade failed", x);
        }
    }

    private static Optional<Method> upgradeMethod(Class<?> containerType)
    {
        try
        {
            return Optional.of(ServerContainer.class.getMethod("upgradeHttpToWebSocket", Object.class, Object.class,
                ServerEndpointConfig.class, Map.class));
        }
        catch (NoSuchMethodException olderApi)
        {
            try
            {
                return Optional.of(containerType.getMethod("upgradeHttpToWebSocket", Object.class, Object.class,
                    ServerEndpointConfig.class, Map.class));
            }
            catch (NoSuchMethodException none)
            {
                return Optional.empty();
            }
        }
    }
}
