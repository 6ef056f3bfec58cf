package dev.proxylitellm.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest
{
    @ParameterizedTest
    @ValueSource(strings = {"abc", "req_7f3a-91.c2", "0123456789abcdef0123456789abcdef"})
    void aSaneClientIdIsKept(String id)
    {
        assertEquals(id, RequestIds.choose(id));
    }

    @Test
    void anIdOf128CharactersIsKept()
    {
        String id = "a".repeat(128);
        assertEquals(id, RequestIds.choose(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "new\nline", "semi;colon", "ünï", "a/b", "x\"y", "<script>"})
    void anInsaneClientIdIsReplaced(String id)
    {
        String chosen = RequestIds.choose(id);
        assertNotEquals(id, chosen);
        assertTrue(chosen.matches("[0-9a-f]{32}"), chosen);
    }

    @Test
    void anIdLongerThan128CharactersIsReplaced()
    {
        assertTrue(RequestIds.choose("a".repeat(129)).matches("[0-9a-f]{32}"));
    }

    @Test
    void aMissingIdIsGeneratedFreshEachTime()
    {
        assertNotEquals(RequestIds.choose(null), RequestIds.choose(null));
    }
}
