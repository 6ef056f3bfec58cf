package dev.proxylitellm.containers;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Eclipse GlassFish 7 from its distribution archive: a domain of its own under the base (every
 * port from one free port base), system properties as {@code <jvm-options>} in its
 * {@code domain.xml}, started in the foreground ({@code start-domain --verbose}), each deployment
 * an exploded copy of the WAR deployed with {@code asadmin deploy} once the server runs.
 */
public final class GlassFish extends ServletContainer
{
    private static final String DOMAIN = "proxy";
    private final int portBase;
    private Path passwordFile;

    public GlassFish() throws IOException
    {
        this(freePortBase());
    }

    private GlassFish(int portBase) throws IOException
    {
        super(Path.of(System.getProperty("glassfish.home", "missing-glassfish.home")), "glassfish", portBase + 80);
        this.portBase = portBase;
    }

    @Override
    protected void prepare(List<Deployment> deployments) throws Exception
    {
        passwordFile = Files.writeString(base.resolve("password.txt"), "AS_ADMIN_PASSWORD=\n");
        asadmin(List.of("--user", "admin", "--passwordfile", passwordFile.toString(), "create-domain",
            "--domaindir", base.resolve("domains").toString(), "--portbase", Integer.toString(portBase), "--nopassword", DOMAIN));
        for (Deployment deployment : deployments)
            ExplodedWar.write(war, base.resolve("apps/" + deployment.name() + ".war"), deployment.parameters());
    }

    @Override
    protected List<String> command(Map<String, String> systemProperties)
    {
        try
        {
            Path domainXml = base.resolve("domains/" + DOMAIN + "/config/domain.xml");
            StringBuilder options = new StringBuilder();
            systemProperties.forEach((key, value) -> options.append("<jvm-options>-D").append(xml(key)).append('=')
                .append(xml(value)).append("</jvm-options>"));
            Files.writeString(domainXml, Files.readString(domainXml).replaceFirst("<jvm-options>", options + "<jvm-options>"));
        }
        catch (IOException x)
        {
            throw new java.io.UncheckedIOException(x);
        }
        return List.of("bash", home.resolve("bin/asadmin").toString(), "start-domain", "--verbose",
            "--domaindir", base.resolve("domains").toString(), DOMAIN);
    }

    @Override
    protected Map<String, String> launchEnvironment()
    {
        return Map.of("JAVA_HOME", javaHome());
    }

    @Override
    protected void deploy(List<Deployment> deployments) throws Exception
    {
        awaitAdminPort();
        for (Deployment deployment : deployments)
        {
            if (!running())
                throw new IllegalStateException("GlassFish exited:\n" + console());
            asadmin(List.of("--port", Integer.toString(portBase + 48), "deploy",
                "--contextroot", deployment.contextPath().isEmpty() ? "/" : deployment.contextPath(),
                "--name", deployment.name(), base.resolve("apps/" + deployment.name() + ".war").toString()));
        }
    }

    /** asadmin gives up at once while the server is still starting. */
    private void awaitAdminPort() throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && running())
        {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", portBase + 48))
            {
                return;
            }
            catch (IOException notYet)
            {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("GlassFish's admin port did not open:\n" + console());
    }

    /** GlassFish runs the server in the domain's config directory: relative log files land there. */
    @Override
    public Path logFile(String name)
    {
        return base.resolve("domains/" + DOMAIN + "/config/" + name);
    }

    private void asadmin(List<String> arguments) throws Exception
    {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/asadmin").toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("asadmin.log").toFile()));
        builder.environment().putAll(launchEnvironment());
        Process asadmin = builder.start();
        // A deployment that fails is reported by its health check.
        if (!asadmin.waitFor(180, TimeUnit.SECONDS))
            asadmin.destroyForcibly();
    }

    private static int freePortBase() throws IOException
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int candidate = ThreadLocalRandom.current().nextInt(200, 600) * 100;
            if (free(candidate + 48) && free(candidate + 80))
                return candidate;
        }
        throw new IOException("no free port base for GlassFish");
    }

    private static boolean free(int port)
    {
        try (ServerSocket socket = new ServerSocket(port))
        {
            return true;
        }
        catch (IOException taken)
        {
            return false;
        }
    }
}
