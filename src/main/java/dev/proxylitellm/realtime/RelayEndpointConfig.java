package dev.proxylitellm.realtime;

import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * The endpoint configuration of one client upgrade: its endpoint is the relay already joined to
 * upstream, and the subprotocol it agrees to is the one upstream chose.
 */
final class RelayEndpointConfig
{
    private RelayEndpointConfig()
    {
    }

    static ServerEndpointConfig create(RealtimeRelay relay, String upstreamSubprotocol)
    {
        ServerEndpointConfig.Configurator configurator = new ServerEndpointConfig.Configurator()
        {
            @Override
            public <T> T getEndpointInstance(Class<T> endpointClass)
            {
                return endpointClass.cast(relay);
            }

            @Override
            public String getNegotiatedSubprotocol(List<String> supported, List<String> requested)
            {
                return upstreamSubprotocol != null && requested.contains(upstreamSubprotocol) ? upstreamSubprotocol : "";
            }

            @Override
            public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested)
            {
                // No compression: frames pass as they are, and permessage-deflate costs per-session memory.
                return List.of();
            }

            @Override
            public boolean checkOrigin(String originHeaderValue)
            {
                return true;
            }
        };
        List<String> subprotocols = upstreamSubprotocol == null || upstreamSubprotocol.isEmpty() ? List.of() : List.of(upstreamSubprotocol);
        return ServerEndpointConfig.Builder.create(RealtimeRelay.class, "/v1/realtime")
            .subprotocols(subprotocols)
            .configurator(configurator)
            .build();
    }
}
