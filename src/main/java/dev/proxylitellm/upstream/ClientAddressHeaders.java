package dev.proxylitellm.upstream;

import java.util.List;
import org.eclipse.jetty.http.HttpFields;

/**
 * The headers that tell a server who the client is ({@code Forwarded}, the {@code X-Forwarded-*}
 * family and its common relatives): removed from upstream calls when the organisation must not
 * pass client addresses on ({@code FORWARD_CLIENT_ADDRESS=false}).
 */
public final class ClientAddressHeaders
{
    private static final List<String> NAMES = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
        "X-Forwarded-Port", "X-Forwarded-Server", "X-Real-IP", "True-Client-IP", "X-Client-IP");

    private ClientAddressHeaders()
    {
    }

    public static void remove(HttpFields.Mutable headers)
    {
        for (String name : NAMES)
            headers.remove(name);
    }
}
