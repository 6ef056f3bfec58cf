package dev.proxylitellm.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Header text that could inject a header line upstream is refused, whatever the container let through. */
class RequestBoundsTest
{
    @ParameterizedTest
    @ValueSource(strings = {"a\rX-Injected: 1", "a\nX-Injected: 1", "a\r\nb", "a\u0000b", "\r"})
    void lineBreaksAndNulAreUnsafe(String value)
    {
        assertFalse(RequestBounds.isSafe(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "application/json", "Bearer sk-1", "a\tb", "caf\u00e9", "x=1; y=2"})
    void ordinaryValuesAreSafe(String value)
    {
        assertTrue(RequestBounds.isSafe(value));
    }
}
