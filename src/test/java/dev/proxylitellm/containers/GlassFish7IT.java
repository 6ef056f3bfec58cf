package dev.proxylitellm.containers;

import org.junit.jupiter.api.BeforeAll;

/**
 * The WAR in a stock Eclipse GlassFish 7.0 (Jakarta EE 10). Opt-in: {@code mvn verify -Pglassfish}
 * fetches the distribution and runs this contract too (see README for what GlassFish lacks).
 */
class GlassFish7IT extends DeployedProxyContract
{
    @Override
    ServletContainer newContainer() throws Exception
    {
        return new GlassFish();
    }

    @Override
    String containerStartedMessage()
    {
        return "was successfully deployed";
    }

    /** GlassFish answers a malformed chunk with its own HTML 400 before the webapp can. */
    @Override
    public boolean closesOnMalformedBody()
    {
        return true;
    }

    /** Like Open Liberty, GlassFish gives a webapp no way to break a response under way. */
    @Override
    public boolean breaksCutResponses()
    {
        return false;
    }

    @BeforeAll
    void start() throws Exception
    {
        startContainer();
    }
}
