package dev.proxylitellm.containers;

import org.junit.jupiter.api.BeforeAll;

/** The javax WAR in a stock Apache Tomcat 9.0 (Servlet 4.0). */
class Tomcat9IT extends DeployedProxyContract
{
    @Override
    ServletContainer newContainer() throws Exception
    {
        return new Tomcat("tomcat9.home", ServletContainer.javaxWar());
    }

    @Override
    String containerStartedMessage()
    {
        return "Server startup in";
    }

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
