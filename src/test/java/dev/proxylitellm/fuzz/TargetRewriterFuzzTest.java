package dev.proxylitellm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes target and query rewriting against {@link TargetInvariants}: for a bounded time in
 * {@code mvn verify} (its own surefire run with JAZZER_FUZZ set), for 30 minutes with
 * {@code -Pfuzz} ({@link TargetRewriterLongFuzzTest}).
 */
class TargetRewriterFuzzTest
{
    @FuzzTest(maxDuration = "20s")
    void rewrittenTargetsStayUnderTheBasePathWithOurAppId(FuzzedDataProvider data)
    {
        String path = data.consumeString(300);
        String query = data.consumeBoolean() ? null : data.consumeRemainingAsString();
        TargetInvariants.check(path, query);
    }
}
