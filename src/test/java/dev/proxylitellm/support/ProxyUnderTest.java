package dev.proxylitellm.support;

import dev.proxylitellm.ProxyBootstrap;
import dev.proxylitellm.config.ConfigSource;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The proxy webapp, deployed from {@code src/main/webapp} (its real {@code web.xml}) into an
 * embedded Jetty on a free loopback port, with its configuration handed in as a map instead of
 * the standard sources, so tests never depend on the machine's environment or a {@code .env}.
 */
public final class ProxyUnderTest implements AutoCloseable
{
    private final Server server;
    private final ServerConnector connector;
    private final WebAppContext webapp;
    private final String contextPath;

    private ProxyUnderTest(Map<String, String> config, String contextPath, boolean failOnUnavailable) throws Exception
    {
        this.contextPath = contextPath;
        QueuedThreadPool threads = new QueuedThreadPool(400, 8);
        threads.setName("proxy");
        server = new Server(threads);
        // Let every URI through to the webapp, so its own checks (not Jetty's) are what is tested.
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        webapp = new WebAppContext();
        webapp.setContextPath(contextPath.isEmpty() ? "/" : contextPath);
        webapp.setBaseResourceAsPath(Path.of("src/main/webapp").toAbsolutePath());
        // The classes under test are on the test class path: load them from there, not WEB-INF.
        webapp.setClassLoader(ProxyUnderTest.class.getClassLoader());
        webapp.setThrowUnavailableOnStartupException(failOnUnavailable);
        webapp.setAttribute(ProxyBootstrap.CONFIG_SOURCES_ATTRIBUTE, List.of(ConfigSource.ofMap("test configuration", config)));
        server.setHandler(webapp);
        server.start();
    }

    public static ProxyUnderTest start(Map<String, String> config)
    {
        return start(config, "");
    }

    public static ProxyUnderTest start(Map<String, String> config, String contextPath)
    {
        try
        {
            return new ProxyUnderTest(config, contextPath, true);
        }
        catch (Exception x)
        {
            throw new IllegalStateException("proxy did not start", x);
        }
    }

    /** Starts the server even if the webapp fails, so a test can look at how it failed. */
    public static ProxyUnderTest startAllowingFailure(Map<String, String> config) throws Exception
    {
        return new ProxyUnderTest(config, "", false);
    }

    public boolean isWebappAvailable()
    {
        return webapp.isAvailable() && webapp.isStarted();
    }

    public int port()
    {
        return connector.getLocalPort();
    }

    /** The absolute URI of {@code pathAndQuery} under the webapp's context path. */
    public URI uri(String pathAndQuery)
    {
        return URI.create("http://127.0.0.1:" + port() + contextPath + pathAndQuery);
    }

    @Override
    public void close() throws Exception
    {
        server.stop();
    }
}
