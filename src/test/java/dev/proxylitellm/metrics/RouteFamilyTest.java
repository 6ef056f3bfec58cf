package dev.proxylitellm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteFamilyTest
{
    @ParameterizedTest
    @CsvSource({
        "/chat/completions, chat/completions",
        "/chat/completions/chatcmpl-1/messages, chat/completions",
        "/completions, completions",
        "/embeddings, embeddings",
        "/models, models",
        "/models/gpt-4o, models",
        "/files/file-abc/content, files",
        "/audio/transcriptions, audio/transcriptions",
        "/images/generations, images/generations",
        "/responses/resp_1, responses",
        "/chat, other",
        "/chat/other, other",
        "/unknown/path, other",
        "/, other",
        "'', other",
        "chat/completions, other",
        "/Chat/Completions, other",
    })
    void foldsAPathIntoItsEndpointFamily(String path, String family)
    {
        assertEquals(family, RouteFamily.of(path));
    }

    @ParameterizedTest
    @CsvSource({"chat/completions, true", "completions, true", "embeddings, true", "responses, true", "models, false", "files, false", "other, false"})
    void knowsWhichFamiliesReportTokens(String family, boolean reports)
    {
        if (reports)
            assertTrue(RouteFamily.reportsTokens(family));
        else
            assertFalse(RouteFamily.reportsTokens(family));
    }
}
