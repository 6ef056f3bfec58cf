import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty's own transparent proxy servlets, nothing of ours: the floor. Args: port, upstream, kind (amms|async|blocking). */
public final class BareJettyProxy
{
    public static void main(String[] args) throws Exception
    {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("proxy");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        connector.setAcceptQueueSize(8192);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        Class<? extends jakarta.servlet.Servlet> kind = switch (args[2]) {
            case "amms" -> AsyncMiddleManServlet.Transparent.class;
            case "async" -> AsyncProxyServlet.Transparent.class;
            default -> ProxyServlet.Transparent.class;
        };
        ServletHolder holder = new ServletHolder(kind);
        holder.setInitParameter("proxyTo", args[1]);
        holder.setInitParameter("maxConnections", "4096");
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        server.setHandler(context);
        server.start();
        System.out.println("READY " + connector.getLocalPort());
        server.join();
    }
}
