package dev.proxylitellm.containers;

import org.junit.jupiter.api.BeforeAll;

/** The WAR in a stock Apache Tomcat 11 (Servlet 6.1). */
class Tomcat11IT extends DeployedProxyContract
{
    @Override
    ServletContainer newContainer() throws Exception
    {
        return new Tomcat("tomcat11.home");
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
