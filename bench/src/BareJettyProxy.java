import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * Jetty's own transparent proxy servlet, with nothing of this project's, in the same embedded
 * server as {@link BenchProxy}: the floor under the WAR. Args: port, upstream URL, and {@code amms}
 * ({@code AsyncMiddleManServlet}, which the WAR extends) or {@code async} ({@code AsyncProxyServlet},
 * without the transformer machinery).
 */
public final class BareJettyProxy
{
    public static void main(String[] args) throws Exception
    {
        Server server = BenchProxy.newServer(Integer.parseInt(args[0]));
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(args[2].equals("async") ? AsyncProxyServlet.Transparent.class : AsyncMiddleManServlet.Transparent.class);
        holder.setInitParameter("proxyTo", args[1]);
        holder.setInitParameter("maxConnections", "4096");
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        server.setHandler(context);
        BenchProxy.start(server);
    }
}
