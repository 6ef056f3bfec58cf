package dev.proxylitellm.containers;

import org.junit.jupiter.api.BeforeAll;

/** The WAR in a stock Open Liberty 26 (WebSphere Liberty) with the servlet-6.0 and websocket-2.1 features. */
class OpenLiberty26IT extends DeployedProxyContract
{
    @Override
    ServletContainer newContainer() throws Exception
    {
        return new Liberty();
    }

    @Override
    String containerStartedMessage()
    {
        return "CWWKF0011I";
    }

    /** A small chunked body never ends upstream on Liberty: the call hangs (open). */
    @Override
    public boolean forwardsSmallChunkedBodies()
    {
        return false;
    }

    @BeforeAll
    void start() throws Exception
    {
        startContainer();
    }
}
