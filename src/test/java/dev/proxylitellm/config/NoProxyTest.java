package dev.proxylitellm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoProxyTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "llm.corp.example|https://llm.corp.example/v1|true",
        ".corp.example|https://llm.corp.example/v1|true",
        "corp.example|https://llm.corp.example/v1|true",
        "corp.example|https://llm.example/v1|false",
        "xcorp.example|https://corp.example/v1|false",
        "*|https://anything/v1|true",
        "a, b  ,llm|http://llm:4000/v1|true",
        "llm:4000|http://llm:4000/v1|true",
        "llm:443|http://llm:4000/v1|false",
        "10.0.0.0/8|http://10.1.2.3/v1|true",
        "10.0.0.0/8|http://11.1.2.3/v1|false",
        "10.1.2.3|http://10.1.2.3/v1|true",
        "10.0.0.0/8|http://ten.corp/v1|false",
        "::1|http://[::1]:4000/v1|true",
        "fd00::/8|http://[fd12::1]/v1|true",
        "LLM.Corp.Example|https://llm.corp.example/v1|true"})
    void matchesHostsDomainsAddressesAndRanges(String noProxy, String target, boolean direct)
    {
        assertEquals(direct, NoProxy.parse(noProxy).matches(URI.create(target)));
    }
}
