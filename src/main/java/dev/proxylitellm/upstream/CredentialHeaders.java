package dev.proxylitellm.upstream;

import dev.proxylitellm.config.ProxyConfig;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The credential part of the header policy: no credential a client sends reaches upstream, and
 * every upstream request carries the organisation's {@code Authorization} and LiteLLM key. The
 * header fields are built once, at start.
 */
public final class CredentialHeaders
{
    /** Headers through which clients commonly send API keys, in lower case. */
    private static final Set<String> CLIENT_CREDENTIALS = Set.of(
        "authorization", "proxy-authorization", "x-litellm-key", "x-litellm-api-key", "api-key", "x-api-key");

    private final Set<String> stripped;
    private final HttpField authorization;
    private final HttpField liteLlmKey;

    public CredentialHeaders(ProxyConfig config)
    {
        Set<String> names = new LinkedHashSet<>(CLIENT_CREDENTIALS);
        names.add(config.keyHeader().toLowerCase(Locale.ROOT));
        this.stripped = Set.copyOf(names);
        this.authorization = new HttpField(HttpHeader.AUTHORIZATION, config.dsKey());
        this.liteLlmKey = new HttpField(config.keyHeader(), config.liteLlmKeyHeaderValue());
    }

    /** Lower-case names of every header removed from client requests. */
    public Set<String> strippedNames()
    {
        return stripped;
    }

    /** Removes every client credential header from {@code headers}. */
    public void stripClientCredentials(HttpFields.Mutable headers)
    {
        for (String name : stripped)
            headers.remove(name);
    }

    /** Sets the organisation's credentials, replacing any value already there. */
    public void inject(HttpFields.Mutable headers)
    {
        headers.put(authorization);
        headers.put(liteLlmKey);
    }
}
