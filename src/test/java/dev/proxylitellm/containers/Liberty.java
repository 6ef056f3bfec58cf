package dev.proxylitellm.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Open Liberty from its runtime archive: a user directory of its own under the base
 * ({@code WLP_USER_DIR}), one server with the {@code servlet-6.0} and {@code websocket-2.1}
 * features, each deployment an exploded copy of the WAR named in {@code server.xml} as a
 * {@code <webApplication>}. Started with {@code bin/server run}, so system properties go into the
 * server's {@code jvm.options}, as an operator sets them. The HTTP transport is Liberty's default
 * (Netty in 26.0.0.3: {@code useNettyTransport} defaults to true); {@code -Dliberty.transport=channel}
 * picks the older channel framework, which earlier Liberty releases run.
 */
public final class Liberty extends ServletContainer
{
    private static final String SERVER = "proxy";
    private final Path serverDir;

    public Liberty() throws IOException
    {
        super(Path.of(System.getProperty("openliberty.home", "missing-openliberty.home")), "liberty");
        serverDir = base.resolve("usr/servers/" + SERVER);
    }

    @Override
    protected void prepare(List<Deployment> deployments) throws Exception
    {
        Files.createDirectories(serverDir);
        StringBuilder server = new StringBuilder("""
            <?xml version="1.0" encoding="UTF-8"?>
            <server>
              <featureManager>
                <feature>servlet-6.0</feature>
                <feature>websocket-2.1</feature>
              </featureManager>
            """);
        server.append("  <httpEndpoint id=\"defaultHttpEndpoint\" host=\"127.0.0.1\" httpPort=\"").append(port)
            .append("\" httpsPort=\"-1\" useNettyTransport=\"").append(!"channel".equals(System.getProperty("liberty.transport")))
            .append("\"/>\n");
        server.append("  <applicationMonitor updateTrigger=\"disabled\" dropinsEnabled=\"false\"/>\n");
        for (Deployment deployment : deployments)
        {
            Path app = ExplodedWar.write(war, base.resolve("apps/" + deployment.name() + ".war"), deployment.parameters());
            server.append("  <webApplication id=\"").append(deployment.name()).append("\" name=\"").append(deployment.name())
                .append("\" location=\"").append(xml(app.toString())).append("\" contextRoot=\"")
                .append(deployment.contextPath().isEmpty() ? "/" : deployment.contextPath()).append("\"/>\n");
        }
        server.append("</server>\n");
        Files.writeString(serverDir.resolve("server.xml"), server);
    }

    @Override
    protected Map<String, String> launchEnvironment()
    {
        return Map.of("JAVA_HOME", javaHome(), "WLP_USER_DIR", base.resolve("usr").toString());
    }

    @Override
    protected List<String> command(Map<String, String> systemProperties)
    {
        List<String> options = new ArrayList<>();
        systemProperties.forEach((key, value) -> options.add("-D" + key + "=" + value));
        try
        {
            Files.writeString(serverDir.resolve("jvm.options"), String.join("\n", options) + "\n");
        }
        catch (IOException x)
        {
            throw new java.io.UncheckedIOException(x);
        }
        return List.of("bash", home.resolve("bin/server").toString(), "run", SERVER);
    }

    /** Liberty runs the server with its output directory as working directory: relative log files land there. */
    @Override
    public Path logFile(String name)
    {
        return serverDir.resolve(name);
    }

    /** The server's own log, beside the console output. */
    public Path messagesLog()
    {
        return serverDir.resolve("logs/messages.log");
    }
}
