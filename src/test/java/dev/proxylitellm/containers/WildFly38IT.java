package dev.proxylitellm.containers;

import org.junit.jupiter.api.BeforeAll;

/** The WAR in a stock WildFly 38 (Jakarta EE 10 / JBoss EAP 8), standalone configuration. */
class WildFly38IT extends DeployedProxyContract
{
    @Override
    ServletContainer newContainer() throws Exception
    {
        return new WildFly();
    }

    @Override
    String containerStartedMessage()
    {
        return "WFLYSRV0025";
    }

    @BeforeAll
    void start() throws Exception
    {
        startContainer();
    }
}
