package dev.proxylitellm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployed WAR's precedence: system properties, environment, .env, context parameters. */
class StandardSourcesTest
{
    @TempDir
    Path dir;

    @AfterEach
    void clearProperties()
    {
        System.clearProperty("DOTENV_FILE");
        System.clearProperty("DS_APP_ID");
    }

    private static final ConfigSource CONTEXT = ConfigSource.ofMap("servlet context parameters", Map.of(
        "LITELLM_BASE_URL", "http://from-context:4000/v1",
        "DS_APP_ID", "from-context",
        "DS_KEY", "context-ds",
        "LITELLM_API_KEY", "context-sk"));

    @Test
    void contextParametersAloneAreEnough() throws Exception
    {
        Path empty = Files.writeString(dir.resolve("empty.env"), "# nothing here\n");
        System.setProperty("DOTENV_FILE", empty.toString());

        ProxyConfig config = new ConfigLoader(ConfigLoader.standardSources(CONTEXT)).load();

        assertEquals("from-context", config.appId());
        assertEquals("context-ds", config.dsKey());
    }

    @Test
    void dotenvWinsOverContextParametersAndSystemPropertiesWinOverBoth() throws Exception
    {
        Path env = dir.resolve("proxy.env");
        Files.writeString(env, "DS_APP_ID=from-dotenv\nDS_KEY=dotenv-ds\n");
        System.setProperty("DOTENV_FILE", env.toString());

        ProxyConfig fromDotenv = new ConfigLoader(ConfigLoader.standardSources(CONTEXT)).load();
        System.setProperty("DS_APP_ID", "from-property");
        ProxyConfig fromProperty = new ConfigLoader(ConfigLoader.standardSources(CONTEXT)).load();

        assertEquals("from-dotenv", fromDotenv.appId());
        assertEquals("dotenv-ds", fromDotenv.dsKey());
        assertEquals("context-sk", fromDotenv.liteLlmApiKey());
        assertEquals("http://from-context:4000/v1", fromDotenv.baseUrl().toString());
        assertEquals("from-property", fromProperty.appId());
    }
}
