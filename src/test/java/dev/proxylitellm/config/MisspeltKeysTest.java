package dev.proxylitellm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MisspeltKeysTest
{
    @ParameterizedTest
    @CsvSource({"DS_KYE, DS_KEY", "ds_key, DS_KEY", "LOG_LEVL, LOG_LEVEL", "LITELLM_BASEURL, LITELLM_BASE_URL", "PROXY_API_KEY, PROXY_API_KEYS",
        "LOGLEVEL, LOG_LEVEL", "DS_APPID, DS_APP_ID"})
    void aNameCloseToAKeyIsTakenForIt(String name, String meant)
    {
        assertEquals(meant, MisspeltKeys.closestKey(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DS_KEY", "https_proxy", "NO_PROXY", "PATH", "HOME", "JAVA_HOME", "LANG", "DS_OTHER_THING", "user.dir", "LS_COLORS"})
    void keysAndUnrelatedNamesAreLeftAlone(String name)
    {
        assertNull(MisspeltKeys.closestKey(name));
    }
}
