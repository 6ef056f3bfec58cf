package dev.proxylitellm.containers;

import org.junit.jupiter.api.BeforeAll;

/** The WAR in the stock Jetty 12.1 distribution, ee10 environment. */
class Jetty12IT extends DeployedProxyContract
{
    @Override
    ServletContainer newContainer() throws Exception
    {
        return new Jetty();
    }

    @Override
    String containerStartedMessage()
    {
        return "Started oejs.Server";
    }

    @BeforeAll
    void start() throws Exception
    {
        startContainer();
    }
}
