package dev.proxylitellm.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Jetty 12.1 distribution ({@code jetty-home}): a JETTY_BASE with the {@code server},
 * {@code http}, {@code ee10-deploy} and {@code ee10-websocket-jakarta} modules, each deployment as a context XML in
 * {@code webapps/} that names the WAR and sets its init-parameters.
 */
public final class Jetty extends ServletContainer
{
    private final String modules;

    public Jetty() throws IOException
    {
        this(true);
    }

    /** @param webSocket whether the base has the WebSocket module, as the README asks for realtime */
    public Jetty(boolean webSocket) throws IOException
    {
        super(Path.of(System.getProperty("jetty.home", "missing-jetty.home")), "jetty");
        modules = "server,http,ee10-deploy" + (webSocket ? ",ee10-websocket-jakarta" : "");
    }

    @Override
    protected void prepare(List<Deployment> deployments) throws Exception
    {
        Process setup = new ProcessBuilder(java(), "-jar", home.resolve("start.jar").toString(),
            "--add-modules=" + modules)
            .directory(base.toFile()).redirectErrorStream(true).redirectOutput(base.resolve("setup.log").toFile()).start();
        if (!setup.waitFor(60, TimeUnit.SECONDS) || setup.exitValue() != 0)
            throw new IllegalStateException("jetty base setup failed:\n" + Files.readString(base.resolve("setup.log")));
        for (Deployment deployment : deployments)
        {
            StringBuilder context = new StringBuilder("""
                <?xml version="1.0"?>
                <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
                """);
            context.append("  <Set name=\"contextPath\">").append(deployment.contextPath().isEmpty() ? "/" : xml(deployment.contextPath())).append("</Set>\n");
            context.append("  <Set name=\"war\">").append(xml(war.toString())).append("</Set>\n");
            deployment.parameters().forEach((name, value) -> context.append("  <Call name=\"setInitParameter\"><Arg>")
                .append(xml(name)).append("</Arg><Arg>").append(xml(value)).append("</Arg></Call>\n"));
            context.append("</Configure>\n");
            Files.writeString(base.resolve("webapps/" + deployment.name().toLowerCase() + ".xml"), context);
        }
    }

    @Override
    protected List<String> command(Map<String, String> systemProperties)
    {
        List<String> command = new ArrayList<>(List.of(java()));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", home.resolve("start.jar").toString(), "jetty.http.port=" + port, "jetty.http.host=127.0.0.1"));
        return command;
    }
}
