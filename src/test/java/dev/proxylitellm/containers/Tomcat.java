package dev.proxylitellm.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Apache Tomcat from its distribution archive: a CATALINA_BASE with the stock {@code conf/}
 * (shutdown port off, HTTP on a free port), each deployment as
 * {@code conf/Catalina/localhost/<name>.xml} with {@code <Parameter>} entries.
 */
public final class Tomcat extends ServletContainer
{
    public Tomcat(String homeProperty) throws IOException
    {
        super(Path.of(System.getProperty(homeProperty, "missing-" + homeProperty)), homeProperty);
    }

    /** @param war the WAR to deploy (the javax one for Tomcat 9) */
    public Tomcat(String homeProperty, Path war) throws IOException
    {
        super(Path.of(System.getProperty(homeProperty, "missing-" + homeProperty)), homeProperty, war);
    }

    @Override
    protected void prepare(List<Deployment> deployments) throws Exception
    {
        for (String dir : List.of("logs", "temp", "webapps", "work", "conf/Catalina/localhost"))
            Files.createDirectories(base.resolve(dir));
        try (Stream<Path> files = Files.list(home.resolve("conf")))
        {
            for (Path file : files.filter(Files::isRegularFile).toList())
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
        }
        Path serverXml = base.resolve("conf/server.xml");
        String server = Files.readString(serverXml)
            .replace("port=\"8005\"", "port=\"-1\"")
            .replace("port=\"8080\"", "port=\"" + port + "\" address=\"127.0.0.1\"")
            // Notice redeployments within a second instead of ten.
            .replace("<Engine name=\"Catalina\" defaultHost=\"localhost\">", "<Engine name=\"Catalina\" defaultHost=\"localhost\" backgroundProcessorDelay=\"1\">");
        Files.writeString(serverXml, server);
        for (Deployment deployment : deployments)
        {
            StringBuilder context = new StringBuilder("<Context docBase=\"" + xml(war.toString()) + "\">\n");
            deployment.parameters().forEach((name, value) -> context.append("  <Parameter name=\"").append(xml(name))
                .append("\" value=\"").append(xml(value)).append("\" override=\"false\"/>\n"));
            context.append("</Context>\n");
            Files.writeString(base.resolve("conf/Catalina/localhost/" + deployment.name() + ".xml"), context);
        }
    }

    /** Redeploys {@code deployment} the way an operator would: by touching its context file. */
    public void redeploy(Deployment deployment) throws IOException
    {
        Path descriptor = base.resolve("conf/Catalina/localhost/" + deployment.name() + ".xml");
        Files.setLastModifiedTime(descriptor, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
    }

    @Override
    protected List<String> command(Map<String, String> systemProperties)
    {
        List<String> command = new ArrayList<>(List.of(java(),
            // What catalina.sh adds on JDK 17, so that Tomcat's leak detection can work.
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
            "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
            "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
            "-Dcatalina.home=" + home,
            "-Dcatalina.base=" + base,
            "-Djava.io.tmpdir=" + base.resolve("temp")));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"),
            "org.apache.catalina.startup.Bootstrap", "start"));
        return command;
    }
}
