package dev.proxylitellm.target;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathCheckTest
{
    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/models", "/chat/completions", "/models/", "/files/file-abc123/content",
        "/models/openai%2Fgpt-4o", "/a%20b", "/a.b/c..d/...", "/%E2%9C%93", "/a:b@c!$&'()*+,="})
    void acceptsOrdinaryPaths(String path)
    {
        assertDoesNotThrow(() -> PathCheck.check(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/../x", "/a/../../x", "/.", "/./x", "/%2e%2e/x", "/%2E%2e/x", "/.%2e/x", "/%2e./x",
        "/%252e%252e/x", "/%25252e%25252e/x", "/..;/x", "/..;a=b/x", "/a/..%2f..%2fx", "/a%2f..%2fx", "/%2e%2e%2fx",
        "/..%5cx", "/a\\b", "/a%5cb", "/a%255cb", "//x", "/a//b", "/a%00", "/a%0d%0aH:%20v", "/a%09", "/a%7f",
        "/a%zz", "/a%", "/a%2", "/a b", "/a|b", "/a\u00e9", "/a\"b", "/a{b}", "models", "?x",
        "/x;v=1", "/models;app_id=evil", "/models%3Bapp_id=evil", "/models%253Bx", "/a:b@c!$&'()*+,;="})
    void refusesPathsThatCouldEscapeTheBasePathOrConfuseUpstream(String path)
    {
        InvalidTargetException x = assertThrows(InvalidTargetException.class, () -> PathCheck.check(path));
        assertEquals("invalid_path", x.error().code());
        assertEquals(400, x.error().status());
    }
}
