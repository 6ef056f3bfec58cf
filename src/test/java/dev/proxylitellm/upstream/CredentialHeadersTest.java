package dev.proxylitellm.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.proxylitellm.config.ProxyConfig;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class CredentialHeadersTest
{
    private static ProxyConfig config(String liteLlmKey, String keyHeader)
    {
        return new ProxyConfig(URI.create("http://h/v1"), "app", "ds-key", liteLlmKey, keyHeader, "INFO", "", 1, 1, 1, null, java.util.List.of(), false,
            dev.proxylitellm.config.ClientKeys.NONE, java.util.List.of(), 1, 0, 0, false, true, null, 1, 1, true, 65536, 8192, "x-litellm-customer-id", dev.proxylitellm.limits.RateLimits.NONE,
            dev.proxylitellm.limits.RedisSettings.NONE);
    }

    @Test
    void stripsEveryClientCredentialHeaderWhateverItsCase()
    {
        HttpFields.Mutable headers = HttpFields.build()
            .add("authorization", "Bearer client").add("PROXY-AUTHORIZATION", "x").add("X-LiteLLM-Key", "client")
            .add("x-litellm-api-key", "client").add("Api-Key", "client").add("X-API-KEY", "client").add("X-Custom-Key", "c")
            .add("Content-Type", "application/json");

        new CredentialHeaders(config("k", "X-Custom-Key")).stripClientCredentials(headers);

        assertEquals(List.of("Content-Type"), headers.getFieldNamesCollection().stream().toList());
    }

    @Test
    void injectsAuthorizationVerbatimAndTheKeyAsBearer()
    {
        HttpFields.Mutable headers = HttpFields.build();

        new CredentialHeaders(config("sk-1", "X-LiteLLM-Key")).inject(headers);

        assertEquals("ds-key", headers.get("Authorization"));
        assertEquals("Bearer sk-1", headers.get("X-LiteLLM-Key"));
    }

    @Test
    void doesNotDoubleABearerPrefixInAnyCase()
    {
        assertEquals("Bearer sk-1", config("Bearer sk-1", "h").liteLlmKeyHeaderValue());
        assertEquals("bearer sk-1", config("bearer sk-1", "h").liteLlmKeyHeaderValue());
        assertEquals("BEARER sk-1", config("BEARER sk-1", "h").liteLlmKeyHeaderValue());
        assertEquals("Bearer Bearersk", config("Bearersk", "h").liteLlmKeyHeaderValue());
    }

    @Test
    void usesTheConfiguredKeyHeaderName()
    {
        HttpFields.Mutable headers = HttpFields.build();

        new CredentialHeaders(config("sk-1", "x-litellm-api-key")).inject(headers);

        assertEquals("Bearer sk-1", headers.get("x-litellm-api-key"));
        assertNull(headers.get("X-LiteLLM-Key"));
    }

    @Test
    void injectedCredentialsReplaceAnyLeftOver()
    {
        HttpFields.Mutable headers = HttpFields.build().add("Authorization", "stale");

        new CredentialHeaders(config("sk-1", "X-LiteLLM-Key")).inject(headers);

        assertEquals(List.of("ds-key"), headers.getValuesList("Authorization"));
    }
}
