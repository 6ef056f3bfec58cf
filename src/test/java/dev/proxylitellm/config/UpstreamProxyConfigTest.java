package dev.proxylitellm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which forward proxy, if any, upstream calls take; decided once at start. */
class UpstreamProxyConfigTest
{
    @TempDir
    Path dir;

    private static ProxyConfig load(String baseUrl, Map<String, String> extra)
    {
        Map<String, String> values = new HashMap<>(Map.of("LITELLM_BASE_URL", baseUrl, "DS_APP_ID", "a", "DS_KEY", "k", "LITELLM_API_KEY", "s"));
        values.putAll(extra);
        return new ConfigLoader(List.of(ConfigSource.ofMap("test", values))).load();
    }

    @Test
    void anHttpsUpstreamUsesHttpsProxyAndAnHttpOneHttpProxy()
    {
        Map<String, String> both = Map.of("HTTPS_PROXY", "http://secure-proxy:3128", "HTTP_PROXY", "http://plain-proxy:3128");

        assertEquals("secure-proxy", load("https://llm/v1", both).upstreamProxy().getHost());
        assertEquals("plain-proxy", load("http://llm/v1", both).upstreamProxy().getHost());
    }

    @Test
    void lowerCaseVariablesCountToo()
    {
        assertEquals(3128, load("https://llm/v1", Map.of("https_proxy", "proxy:3128")).upstreamProxy().getPort());
    }

    @Test
    void noProxyAndNoneMeanDirect()
    {
        assertNull(load("https://llm.corp/v1", Map.of("HTTPS_PROXY", "http://p:1", "NO_PROXY", ".corp")).upstreamProxy());
        assertNull(load("https://llm/v1", Map.of("HTTPS_PROXY", "http://p:1", "UPSTREAM_PROXY", "none")).upstreamProxy());
        assertNull(load("https://llm/v1", Map.of()).upstreamProxy());
    }

    @Test
    void anInvalidProxyIsNamedButNotEchoed()
    {
        ConfigException x = assertThrows(ConfigException.class,
            () -> load("https://llm/v1", Map.of("UPSTREAM_PROXY", "http://user:hunter2@proxy")));

        assertTrue(x.getMessage().contains("UPSTREAM_PROXY must be"), x.getMessage());
        assertFalse(x.getMessage().contains("hunter2"));
    }

    @Test
    void theProxyPasswordIsASecretThatToStringHides()
    {
        ProxyConfig config = load("https://llm/v1", Map.of("UPSTREAM_PROXY", "http://user:hunter2@proxy:8080"));

        assertEquals("hunter2", config.upstreamProxyPassword());
        assertFalse(config.toString().contains("hunter2"), config.toString());
    }

    @Test
    void aCaFileThatIsNotPemFailsTheStart() throws Exception
    {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");

        ConfigException x = assertThrows(ConfigException.class, () -> load("https://llm/v1", Map.of("UPSTREAM_CA_FILE", notPem.toString())));
        assertTrue(x.getMessage().contains("UPSTREAM_CA_FILE"), x.getMessage());
        assertThrows(ConfigException.class, () -> load("https://llm/v1", Map.of("UPSTREAM_CA_FILE", dir.resolve("missing.pem").toString())));
    }
}
