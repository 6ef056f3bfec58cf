package dev.proxylitellm.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetRewriterTest
{
    private final TargetRewriter rewriter = new TargetRewriter(URI.create("https://llm.example.org/v1"), "app 7&x");

    @Test
    void appendsThePathToTheBaseUrlAndTheEncodedAppIdToTheQuery() throws Exception
    {
        assertEquals("https://llm.example.org/v1/chat/completions?app_id=app+7%26x", rewriter.rewrite("/chat/completions", null));
    }

    @Test
    void keepsTheClientsQueryBeforeAppId() throws Exception
    {
        assertEquals("https://llm.example.org/v1/models?a=1&a=2&b=%2F&app_id=app+7%26x", rewriter.rewrite("/models", "a=1&a=2&b=%2F"));
    }

    @Test
    void anEmptyRestTargetsTheBaseUrlItself() throws Exception
    {
        assertEquals("https://llm.example.org/v1?app_id=app+7%26x", rewriter.rewrite("", ""));
    }

    @Test
    void aTrailingSlashOnTheBaseUrlIsNotDoubled() throws Exception
    {
        TargetRewriter slashed = new TargetRewriter(URI.create("http://h:4000/v1/"), "a");

        assertEquals("http://h:4000/v1/models?app_id=a", slashed.rewrite("/models", null));
    }

    @Test
    void keepsPercentEncodingAsSent() throws Exception
    {
        assertEquals("https://llm.example.org/v1/files/a%20b%3A%E2%9C%93?q=%C3%A9&app_id=app+7%26x",
            rewriter.rewrite("/files/a%20b%3A%E2%9C%93", "q=%C3%A9"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a|b", "a b", "a%zz", "a%", "a=%2", "x={y}", "a\"b", "a\u00e9"})
    void refusesQueriesThatAreNotValidEncoding(String query)
    {
        InvalidTargetException x = assertThrows(InvalidTargetException.class, () -> rewriter.rewrite("/models", query));
        assertEquals("invalid_query", x.error().code());
        assertEquals(400, x.error().status());
    }

    @Test
    void refusesInvalidPathsWithInvalidPath()
    {
        InvalidTargetException x = assertThrows(InvalidTargetException.class, () -> rewriter.rewrite("/../admin", null));
        assertEquals("invalid_path", x.error().code());
    }
}
