package dev.proxylitellm.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The configuration tests start the proxy with, and the secrets it holds. */
public final class TestConfig
{
    public static final String APP_ID = "org-app-7";
    public static final String DS_KEY = "ds-secret-KEY-7f3a91c2";
    public static final String LITELLM_API_KEY = "sk-litellm-SECRET-5e8d20b4";
    /** A key a client sends itself; the proxy must drop it. */
    public static final String CLIENT_KEY = "sk-client-OWN-KEY-93ab11";

    private TestConfig()
    {
    }

    /** The hex SHA-256 of a client key, as a line of PROXY_API_KEYS_FILE holds it after {@code sha256:}. */
    public static String keyDigest(String key)
    {
        try
        {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        catch (java.security.NoSuchAlgorithmException x)
        {
            throw new IllegalStateException(x);
        }
    }

    /** A complete configuration pointing at {@code upstream}, logging to {@code logFile}. */
    public static Map<String, String> against(FakeUpstream upstream, Path logFile)
    {
        return against(upstream.baseUrl(), logFile);
    }

    /** A complete configuration pointing at the upstream {@code baseUrl}, logging to {@code logFile}. */
    public static Map<String, String> against(java.net.URI baseUrl, Path logFile)
    {
        Map<String, String> config = new HashMap<>();
        config.put("LITELLM_BASE_URL", baseUrl.toString());
        config.put("DS_APP_ID", APP_ID);
        config.put("DS_KEY", DS_KEY);
        config.put("LITELLM_API_KEY", LITELLM_API_KEY);
        config.put("LOG_FILE", logFile.toString());
        config.put("LOG_LEVEL", "INFO");
        return config;
    }
}
