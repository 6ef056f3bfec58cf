import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The built WAR deployed in embedded Jetty, the way an application embedding Jetty would: its
 * configuration comes from the environment like in any container. Args: port, path of the WAR.
 */
public final class BenchProxy
{
    public static void main(String[] args) throws Exception
    {
        Server server = newServer(Integer.parseInt(args[0]));
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(Path.of(args[1]).toAbsolutePath().toString());
        webapp.setThrowUnavailableOnStartupException(true);
        // WebSocket support, as a container offers it, for /v1/realtime.
        JakartaWebSocketServletContainerInitializer.configure(webapp, null);
        server.setHandler(webapp);
        start(server);
    }

    /** The embedded server every JVM of the bench runs the proxy in: same threads, same connector. */
    static Server newServer(int port)
    {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("proxy");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(8192);
        server.addConnector(connector);
        return server;
    }

    static void start(Server server) throws Exception
    {
        server.start();
        System.out.println("READY " + ((ServerConnector)server.getConnectors()[0]).getLocalPort());
        server.join();
    }
}
