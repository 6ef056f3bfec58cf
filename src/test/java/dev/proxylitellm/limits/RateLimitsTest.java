package dev.proxylitellm.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitsTest
{
    @Test
    void aClientsOwnRuleWinsAndStarIsEveryOtherClientsDefault()
    {
        List<String> problems = new ArrayList<>();
        RateLimits limits = RateLimits.parse("*:rpm=600,tpm=200000; billing-bot:rpm=60,tpm=100000,concurrent=5", "RATE_LIMITS", problems);

        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals(new RateLimits.Limits(60, 100000, 5), limits.of("billing-bot"));
        assertEquals(new RateLimits.Limits(600, 200000, 0), limits.of("reporting"));
        assertEquals(new RateLimits.Limits(600, 200000, 0), limits.of(null));
        assertTrue(limits.limitsTokens());
    }

    @Test
    void withoutAStarRuleOtherClientsAreNotLimited()
    {
        RateLimits limits = RateLimits.parse("billing-bot:rpm=60\nsha256:1a2b3c4d:concurrent=2\n# a comment", "RATE_LIMITS_FILE", new ArrayList<>());

        assertNull(limits.of("reporting"));
        assertEquals(new RateLimits.Limits(0, 0, 2), limits.of("sha256:1a2b3c4d"));
        assertEquals(false, limits.limitsTokens());
    }

    @Test
    void eachBadRuleIsNamed()
    {
        List<String> problems = new ArrayList<>();
        RateLimits.parse("rpm=5; a b:rpm=1; app:rps=3; app:rpm=0; app:rpm=2; app:tpm=9; other:tpm=100000000000", "RATE_LIMITS", problems);

        assertEquals(6, problems.size(), problems.toString());
        assertTrue(problems.get(5).contains("above the largest limit"), problems.get(5));
        assertTrue(problems.get(0).startsWith("RATE_LIMITS rule 1 (rpm=5)"), problems.get(0));
        assertTrue(problems.get(2).contains("'rps=3' is not rpm=N, tpm=N or concurrent=N"), problems.get(2));
        assertTrue(problems.get(4).contains("app has limits already"), problems.get(4));
    }

    @Test
    void resetDurationsAreWrittenTheWayOpenAiWritesThem()
    {
        assertEquals("20ms", Admission.duration(20_000_000));
        assertEquals("1s", Admission.duration(1_000_000_000));
        assertEquals("2s", Admission.duration(1_200_000_000));
        assertEquals("6m0s", Admission.duration(360_000_000_000L));
    }
}
