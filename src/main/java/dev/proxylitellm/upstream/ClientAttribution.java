package dev.proxylitellm.upstream;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;

/**
 * Which client app made a call, as upstream learns it: the name the proxy identified the client
 * by, in {@code CLIENT_ID_HEADER} (LiteLLM's {@code x-litellm-customer-id} by default, so its
 * spend logs, end-user budgets and limits work per app). Headers through which a client could
 * pose as another app or change LiteLLM's accounting never pass, whoever sends them.
 */
public final class ClientAttribution
{
    /** LiteLLM's end-user and accounting headers, in lower case. */
    private static final Set<String> ACCOUNTING = Set.of(
        "x-litellm-customer-id", "x-litellm-end-user-id", "x-litellm-tags", "x-litellm-spend-logs-metadata");

    private final String header;
    private final Set<String> stripped;

    /** @param header the header naming the client to upstream, or null to name none */
    public ClientAttribution(String header)
    {
        this.header = header;
        Set<String> names = new LinkedHashSet<>(ACCOUNTING);
        if (header != null)
            names.add(header.toLowerCase(Locale.ROOT));
        this.stripped = Set.copyOf(names);
    }

    /** Removes every header a client could use to pose as another app or change accounting. */
    public void stripClientClaims(HttpFields.Mutable headers)
    {
        for (String name : stripped)
            headers.remove(name);
    }

    /** Names the calling client upstream, when it is known and a header is configured. */
    public void attribute(HttpFields.Mutable headers, String client)
    {
        if (header != null && client != null)
            headers.put(header, client);
    }
}
