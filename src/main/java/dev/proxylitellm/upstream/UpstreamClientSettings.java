package dev.proxylitellm.upstream;

import dev.proxylitellm.config.ProxyConfig;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Presents {@link ProxyConfig} to Jetty's {@code AbstractProxyServlet} as the init-parameters it
 * reads when it creates its HTTP client, so the base class configures the client the way it was
 * designed to. Defaults suit LLM traffic: no total timeout (a generation may run for many
 * minutes), a long idle timeout, and enough connections for every concurrent stream.
 */
public final class UpstreamClientSettings implements ServletConfig
{
    /** The context attribute through which Jetty offers its thread pool; absent in Tomcat. */
    static final String SERVER_EXECUTOR = "org.eclipse.jetty.server.Executor";
    /** Threads of the client's own pool where the container lends none; they only run callbacks. */
    static final int CLIENT_THREADS = 200;
    static final int RESPONSE_BUFFER_BYTES = 8192;

    private final ServletConfig servletConfig;
    private final Map<String, String> parameters;

    public UpstreamClientSettings(ServletConfig servletConfig, ProxyConfig config)
    {
        this.servletConfig = servletConfig;
        Map<String, String> values = new LinkedHashMap<>();
        Enumeration<String> names = servletConfig.getInitParameterNames();
        while (names.hasMoreElements())
        {
            String name = names.nextElement();
            values.put(name, servletConfig.getInitParameter(name));
        }
        boolean serverLendsThreads = servletConfig.getServletContext().getAttribute(SERVER_EXECUTOR) != null;
        values.putIfAbsent("maxThreads", serverLendsThreads ? "-" : String.valueOf(CLIENT_THREADS));
        values.put("maxConnections", String.valueOf(config.maxConnections()));
        values.put("idleTimeout", String.valueOf(config.idleTimeoutMs()));
        values.put("timeout", "0");
        // Each upstream connection reads into a buffer of this size; streams send small events, and
        // thousands of open streams each holding Jetty's default 16 KiB showed up as live memory.
        values.putIfAbsent("responseBufferSize", String.valueOf(RESPONSE_BUFFER_BYTES));
        // The default is this machine's host name: an internal detail upstream need not learn.
        values.putIfAbsent("viaHost", "proxy-litellm");
        this.parameters = Map.copyOf(values);
    }

    @Override
    public String getServletName()
    {
        return servletConfig.getServletName();
    }

    @Override
    public ServletContext getServletContext()
    {
        return servletConfig.getServletContext();
    }

    @Override
    public String getInitParameter(String name)
    {
        return parameters.get(name);
    }

    @Override
    public Enumeration<String> getInitParameterNames()
    {
        return Collections.enumeration(parameters.keySet());
    }
}
