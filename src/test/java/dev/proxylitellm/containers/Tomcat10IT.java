package dev.proxylitellm.containers;

import org.junit.jupiter.api.BeforeAll;

/** The WAR in a stock Apache Tomcat 10.1 (Servlet 6.0). */
class Tomcat10IT extends DeployedProxyContract
{
    @Override
    ServletContainer newContainer() throws Exception
    {
        return new Tomcat("tomcat10.home");
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
