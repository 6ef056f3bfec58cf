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
        // "Resuming server": logged after the deployments (the started line is WFLYSRV0026, "with
        // errors", because /broken fails to deploy on purpose).
        return "WFLYSRV0212";
    }

    /** Undertow, like Tomcat, drops the connection on a malformed chunk (a plain IOException reaches the WAR). */
    @Override
    public boolean closesOnMalformedBody()
    {
        return true;
    }

    @BeforeAll
    void start() throws Exception
    {
        startContainer();
    }
}
