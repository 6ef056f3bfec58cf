package dev.proxylitellm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** The same fuzz target as {@link TargetRewriterFuzzTest}, for 30 minutes: {@code mvn verify -Pfuzz}. */
class TargetRewriterLongFuzzTest
{
    @FuzzTest(maxDuration = "30m")
    void rewrittenTargetsStayUnderTheBasePathWithOurAppId(FuzzedDataProvider data)
    {
        String path = data.consumeString(300);
        String query = data.consumeBoolean() ? null : data.consumeRemainingAsString();
        TargetInvariants.check(path, query);
    }
}
