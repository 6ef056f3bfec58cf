package dev.proxylitellm.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts that a response is one of the proxy's own errors, in the shape OpenAI clients parse. */
public final class OpenAiErrorAssertions
{
    private OpenAiErrorAssertions()
    {
    }

    public static void assertOpenAiError(java.net.http.HttpResponse<String> response, int status, String code)
    {
        assertOpenAiError(status, code, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body());
    }

    public static void assertOpenAiError(int status, String code, int actualStatus, String contentType, String body)
    {
        assertEquals(status, actualStatus, body);
        assertTrue(contentType != null && contentType.startsWith("application/json"), contentType);
        assertTrue(body.matches("\\{\"error\":\\{\"message\":\"[^\"]+\",\"type\":\"[a-z_]+\",\"param\":null,\"code\":\"" + code + "\"}}"), body);
        assertFalse(body.contains("Exception"), body);
        assertFalse(body.contains("127.0.0.1"), body);
        assertFalse(body.contains(TestConfig.DS_KEY), body);
    }
}
