package dev.proxylitellm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest
{
    @TempDir
    Path dir;

    private static Map<String, String> complete()
    {
        Map<String, String> values = new HashMap<>();
        values.put("LITELLM_BASE_URL", "https://llm.example.org/v1");
        values.put("DS_APP_ID", "app-1");
        values.put("DS_KEY", "ds-secret-value");
        values.put("LITELLM_API_KEY", "sk-secret-value");
        return values;
    }

    private static ProxyConfig load(Map<String, String> values)
    {
        return new ConfigLoader(List.of(ConfigSource.ofMap("test", values))).load();
    }

    @Test
    void defaultsSuitLlmTraffic()
    {
        ProxyConfig config = load(complete());

        assertEquals("X-LiteLLM-Key", config.keyHeader());
        assertEquals("INFO", config.logLevel());
        assertEquals("proxy_litellm.log", config.logFile());
        assertEquals(10_000, config.connectTimeoutMs());
        assertEquals(300_000, config.idleTimeoutMs());
        assertTrue(config.maxConnections() >= 1000);
    }

    @Test
    void earlierSourcesWinOverLaterOnes()
    {
        Map<String, String> high = Map.of("DS_APP_ID", "from-high");
        Map<String, String> low = complete();

        ProxyConfig config = new ConfigLoader(List.of(ConfigSource.ofMap("high", high), ConfigSource.ofMap("low", low))).load();

        assertEquals("from-high", config.appId());
        assertEquals("ds-secret-value", config.dsKey());
    }

    @Test
    void blankValuesCountAsUnset()
    {
        Map<String, String> high = Map.of("DS_APP_ID", "  ");

        ProxyConfig config = new ConfigLoader(List.of(ConfigSource.ofMap("high", high), ConfigSource.ofMap("low", complete()))).load();

        assertEquals("app-1", config.appId());
    }

    @Test
    void everyMissingKeyIsNamedInOneError()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> load(Map.of("DS_KEY", "ds-secret-value")));

        assertEquals(List.of("LITELLM_BASE_URL is missing", "DS_APP_ID is missing", "LITELLM_API_KEY is missing"), x.problems());
        assertTrue(x.getMessage().contains("Set keys as test"), x.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://h/v1", "llm.example.org/v1", "http:///v1", "https://h/v1?x=1", "https://user:pw@h/v1", "not a url", "https://h/v1#f"})
    void baseUrlMustBeAnAbsoluteHttpUrl(String url)
    {
        Map<String, String> values = complete();
        values.put("LITELLM_BASE_URL", url);

        ConfigException x = assertThrows(ConfigException.class, () -> load(values));

        assertTrue(x.getMessage().contains("LITELLM_BASE_URL must be"), x.getMessage());
        assertFalse(x.getMessage().contains(url), "the invalid value was echoed");
    }

    @Test
    void aTrailingSlashOnTheBaseUrlIsDropped()
    {
        Map<String, String> values = complete();
        values.put("LITELLM_BASE_URL", "http://h:4000/v1/");

        assertEquals("http://h:4000/v1", load(values).baseUrl().toString());
    }

    @ParameterizedTest
    @CsvSource({"debug,DEBUG", "INFO,INFO", "WARNING,WARN", "warn,WARN", "ERROR,ERROR", "CRITICAL,ERROR", "trace,TRACE"})
    void acceptsThePythonProxysLogLevels(String given, String expected)
    {
        Map<String, String> values = complete();
        values.put("LOG_LEVEL", given);

        assertEquals(expected, load(values).logLevel());
    }

    @ParameterizedTest
    @CsvSource({"LOG_LEVEL,LOUD", "UPSTREAM_IDLE_TIMEOUT_MS,0", "UPSTREAM_CONNECT_TIMEOUT_MS,-5", "UPSTREAM_MAX_CONNECTIONS,many",
        "LITELLM_KEY_HEADER,Bad Header"})
    void invalidValuesAreNamedByKey(String key, String value)
    {
        Map<String, String> values = complete();
        values.put(key, value);

        ConfigException x = assertThrows(ConfigException.class, () -> load(values));

        assertEquals(1, x.problems().size());
        assertTrue(x.problems().get(0).startsWith(key), x.problems().toString());
    }

    @Test
    void secretsNeverAppearInErrorsOrToString()
    {
        Map<String, String> values = complete();
        values.put("LOG_LEVEL", "LOUD");
        values.put("DS_KEY", "ds-secret\nvalue");

        ConfigException x = assertThrows(ConfigException.class, () -> load(values));

        assertFalse(x.getMessage().contains("ds-secret"));
        assertFalse(load(complete()).toString().contains("secret-value"));
    }

    @Test
    void anEmptyLogFileTurnsTheFileOff()
    {
        Map<String, String> values = complete();
        values.put("LOG_FILE", "");

        assertEquals("", load(values).logFile());
    }

    @Test
    void readsADotenvFileAsThePythonProxyDid() throws Exception
    {
        Path env = dir.resolve("proxy.env");
        Files.writeString(env, """
            # comment
            LITELLM_BASE_URL=http://localhost:4000/v1
            DS_APP_ID="quoted app"
            DS_KEY=dotenv-ds
            LITELLM_API_KEY=dotenv-sk
            """);

        ProxyConfig config = new ConfigLoader(List.of(DotenvSource.read(env, true))).load();

        assertEquals("http://localhost:4000/v1", config.baseUrl().toString());
        assertEquals("quoted app", config.appId());
        assertEquals("dotenv-ds", config.dsKey());
    }

    @Test
    void aMissingDefaultDotenvIsFineButANamedOneIsNot()
    {
        assertTrue(DotenvSource.read(dir.resolve(".env"), false).get("DS_KEY").isEmpty());

        ConfigException x = assertThrows(ConfigException.class, () -> DotenvSource.read(dir.resolve("missing.env"), true));
        assertTrue(x.getMessage().contains("DOTENV_FILE"));
    }

    @Test
    void aMalformedDotenvIsReportedWithoutItsContent() throws Exception
    {
        Path env = dir.resolve("bad.env");
        Files.writeString(env, "DS_KEY=fine\nthis line has no key sk-secret-value\n");

        ConfigException x = assertThrows(ConfigException.class, () -> DotenvSource.read(env, true));

        assertFalse(x.getMessage().contains("secret-value"), x.getMessage());
    }

    @Test
    void aBaseUrlWhosePathDoesNotEndInV1StartsWithAWarning()
    {
        Map<String, String> values = complete();
        values.put("LITELLM_BASE_URL", "https://llm.example.org/api");
        ConfigLoader loader = new ConfigLoader(List.of(ConfigSource.ofMap("test", values)));

        loader.load();

        assertEquals(1, loader.warnings().size(), loader.warnings()::toString);
        assertTrue(loader.warnings().get(0).startsWith("LITELLM_BASE_URL's path does not end in /v1"), loader.warnings()::toString);
    }

    @Test
    void aBaseUrlEndingInV1GivesNoWarning()
    {
        ConfigLoader loader = new ConfigLoader(List.of(ConfigSource.ofMap("test", complete())));

        loader.load();

        assertEquals(List.of(), loader.warnings());
    }

    @Test
    void aKeyOfAFewCharactersStartsWithAWarningThatNeverShowsIt()
    {
        Map<String, String> values = complete();
        values.put("DS_KEY", "ab12");
        ConfigLoader loader = new ConfigLoader(List.of(ConfigSource.ofMap("test", values)));

        loader.load();

        assertEquals(List.of("DS_KEY is only 4 characters long: log lines have every occurrence of it replaced by [REDACTED], "
            + "ordinary words included"), loader.warnings());
    }

    @Test
    void aMisspeltKeyIsNamedWithTheKeyItMeantButNeverWithItsValue()
    {
        Map<String, String> values = complete();
        values.remove("DS_KEY");
        values.put("DS_KYE", "typo-secret-value");
        ConfigLoader loader = new ConfigLoader(List.of(ConfigSource.ofMap("test", values)));

        assertThrows(ConfigException.class, loader::load);

        assertEquals(List.of("DS_KYE is not a setting; did you mean DS_KEY?"), loader.warnings());
    }

    @Test
    void theErrorNamesTheSourcesInTheReadmesOrder()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> new ConfigLoader(
            ConfigLoader.standardSources(ConfigSource.ofMap("servlet context parameters", Map.of()))).load());

        assertTrue(x.getMessage().contains("Set keys as JVM system properties, environment variables, .env file (.env), "
            + "servlet context parameters (highest precedence first)"), x.getMessage());
    }

    @Test
    void byDefaultTheOpenFileLimitNotThePoolBoundsUpstreamConnections()
    {
        ProxyConfig config = load(complete());

        assertEquals(OpenFiles.upstreamConnections(OpenFiles.limit()), config.maxConnections());
        assertTrue(config.maxConnections() >= 4096);
    }

    @Test
    void anExplicitUpstreamConnectionCapIsKept()
    {
        Map<String, String> values = complete();
        values.put("UPSTREAM_MAX_CONNECTIONS", "100");

        assertEquals(100, load(values).maxConnections());
    }

    @ParameterizedTest
    @CsvSource({"1000, 4096", "20000, 10000", "1048576, 524288"})
    void automaticConnectionsAreHalfTheOpenFileLimitAndAtLeast4096(long openFiles, int connections)
    {
        assertEquals(connections, OpenFiles.upstreamConnections(openFiles));
    }
}
