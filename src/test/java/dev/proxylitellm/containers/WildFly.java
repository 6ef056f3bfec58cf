package dev.proxylitellm.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * WildFly from its distribution archive: a server base directory of its own
 * ({@code jboss.server.base.dir}) with the stock standalone configuration, every port moved to a
 * free one and the welcome page taken off {@code /}, each deployment an exploded copy of the WAR
 * in {@code deployments/} with a {@code .dodeploy} marker.
 */
public final class WildFly extends ServletContainer
{
    private final Path serverBase;

    public WildFly() throws IOException
    {
        super(Path.of(System.getProperty("wildfly.home", "missing-wildfly.home")), "wildfly");
        serverBase = base.resolve("standalone");
    }

    @Override
    protected void prepare(List<Deployment> deployments) throws Exception
    {
        Path configuration = Files.createDirectories(serverBase.resolve("configuration"));
        try (Stream<Path> files = Files.list(home.resolve("standalone/configuration")))
        {
            for (Path file : files.filter(Files::isRegularFile).toList())
                Files.copy(file, configuration.resolve(file.getFileName()));
        }
        Path standaloneXml = configuration.resolve("standalone.xml");
        String standalone = Files.readString(standaloneXml)
            .replace("<location name=\"/\" handler=\"welcome-content\"/>", "")
            // As the README tells operators: Undertow's default max-post-size (10 MiB) is below audio uploads.
            .replace("<http-listener name=\"default\" ", "<http-listener name=\"default\" max-post-size=\"1073741824\" ")
            .replace("port=\"4712\"", "port=\"" + freePort() + "\"")
            .replace("port=\"4713\"", "port=\"" + freePort() + "\"");
        Files.writeString(standaloneXml, standalone);
        Path deploymentsDir = Files.createDirectories(serverBase.resolve("deployments"));
        for (Deployment deployment : deployments)
        {
            ExplodedWar.write(war, deploymentsDir.resolve(deployment.name() + ".war"), deployment.parameters());
            Files.createFile(deploymentsDir.resolve(deployment.name() + ".war.dodeploy"));
        }
    }

    @Override
    protected Map<String, String> launchEnvironment()
    {
        return Map.of("JAVA_HOME", javaHome(), "JBOSS_HOME", home.toString());
    }

    @Override
    protected List<String> command(Map<String, String> systemProperties)
    {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/standalone.sh").toString(),
            "-Djboss.server.base.dir=" + serverBase,
            "-Djboss.bind.address=127.0.0.1",
            "-Djboss.bind.address.management=127.0.0.1",
            "-Djboss.http.port=" + port));
        try
        {
            command.add("-Djboss.https.port=" + freePort());
            command.add("-Djboss.management.http.port=" + freePort());
            command.add("-Djboss.management.https.port=" + freePort());
        }
        catch (IOException x)
        {
            throw new java.io.UncheckedIOException(x);
        }
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        return command;
    }

    /** The server's own log file. */
    public Path serverLog()
    {
        return serverBase.resolve("log/server.log");
    }
}
