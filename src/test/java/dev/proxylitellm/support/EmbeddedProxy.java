package dev.proxylitellm.support;

import dev.proxylitellm.ProxyBootstrap;
import dev.proxylitellm.config.ConfigSource;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The proxy webapp, deployed from {@code src/main/webapp} (its real {@code web.xml}) into an
 * embedded Jetty, with its configuration sources handed in. Tests start it on a free loopback
 * port with a map as the only source, so they never depend on the machine's environment or a
 * {@code .env}; the local runner starts it on port 8000 with the standard sources.
 */
public final class EmbeddedProxy implements AutoCloseable
{
    private final Server server;
    private final ServerConnector connector;
    private final WebAppContext webapp;
    private final String contextPath;
    private final String host;

    private EmbeddedProxy(Map<String, String> config, String contextPath, boolean failOnUnavailable) throws Exception
    {
        this(List.of(ConfigSource.ofMap("test configuration", config)), "127.0.0.1", 0, contextPath, failOnUnavailable);
    }

    /**
     * @param sources where the webapp reads its configuration, highest precedence first
     * @param port the port to listen on, 0 for a free one
     */
    public EmbeddedProxy(List<ConfigSource> sources, String host, int port, String contextPath, boolean failOnUnavailable) throws Exception
    {
        this.contextPath = contextPath;
        this.host = host;
        QueuedThreadPool threads = new QueuedThreadPool(400, 8);
        threads.setName("proxy");
        server = new Server(threads);
        // Let every URI through to the webapp, so its own checks (not Jetty's) are what is tested.
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        webapp = new WebAppContext();
        webapp.setContextPath(contextPath.isEmpty() ? "/" : contextPath);
        webapp.setBaseResourceAsPath(Path.of("src/main/webapp").toAbsolutePath());
        // The classes under test are on the test class path: load them from there, not WEB-INF.
        webapp.setClassLoader(EmbeddedProxy.class.getClassLoader());
        webapp.setThrowUnavailableOnStartupException(failOnUnavailable);
        webapp.setAttribute(ProxyBootstrap.CONFIG_SOURCES_ATTRIBUTE, sources);
        // What a container's WebSocket support does, as Jetty's ee10-websocket-jakarta module would.
        JakartaWebSocketServletContainerInitializer.configure(webapp, null);
        server.setHandler(webapp);
        server.start();
    }

    public static EmbeddedProxy start(Map<String, String> config)
    {
        return start(config, "");
    }

    public static EmbeddedProxy start(Map<String, String> config, String contextPath)
    {
        try
        {
            return new EmbeddedProxy(config, contextPath, true);
        }
        catch (Exception x)
        {
            throw new IllegalStateException("proxy did not start", x);
        }
    }

    /** Starts the server even if the webapp fails, so a test can look at how it failed. */
    public static EmbeddedProxy startAllowingFailure(Map<String, String> config) throws Exception
    {
        return new EmbeddedProxy(config, "", false);
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
        String address = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return URI.create("http://" + address + ":" + port() + contextPath + pathAndQuery);
    }

    @Override
    public void close() throws Exception
    {
        server.stop();
    }
}
