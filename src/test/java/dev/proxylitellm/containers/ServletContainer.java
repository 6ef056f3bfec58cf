package dev.proxylitellm.containers;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stock servlet container started from its unpacked distribution, with a base directory of its
 * own under {@code target/}, as a separate process on a free port; the built WAR is deployed into
 * it through the container's own context files. Closing it stops the process (and anything it
 * started), whatever state the tests left it in.
 */
public abstract class ServletContainer implements AutoCloseable
{
    protected final Path home;
    protected final Path base;
    protected final Path war;
    protected final int port;
    private final Path output;
    private Process process;

    protected ServletContainer(Path home, String name) throws IOException
    {
        this(home, name, Path.of(System.getProperty("proxy.war", "target/proxy-litellm.war")));
    }

    /** @param war the WAR to deploy: the jakarta one, or the javax one for Servlet 4.0 servers */
    protected ServletContainer(Path home, String name, Path war) throws IOException
    {
        this(home, name, war, freePort());
    }

    /** For servers that pick their ports from a base of their own: {@code port} is their HTTP port. */
    protected ServletContainer(Path home, String name, int port) throws IOException
    {
        this(home, name, Path.of(System.getProperty("proxy.war", "target/proxy-litellm.war")), port);
    }

    private ServletContainer(Path home, String name, Path war, int port) throws IOException
    {
        if (!Files.isDirectory(home))
            throw new IllegalStateException(home + " is missing: run the container tests through 'mvn verify'");
        this.home = home;
        this.base = Files.createDirectories(Path.of("target", "it", name + "-" + System.nanoTime())).toAbsolutePath();
        this.war = war.toAbsolutePath();
        this.port = port;
        this.output = base.resolve("console.log");
    }

    /** Writes the base directory and the context files of {@code deployments}. */
    protected abstract void prepare(List<Deployment> deployments) throws Exception;

    /** The command line that starts the container, with {@code systemProperties} as -D options. */
    protected abstract List<String> command(Map<String, String> systemProperties);

    /** For servers that take deployments only once running: deploys them. Others deploy from {@link #prepare}. */
    protected void deploy(List<Deployment> deployments) throws Exception
    {
    }

    /** Whether the container process is still running. */
    protected boolean running()
    {
        return process != null && process.isAlive();
    }

    /** Environment variables the container's own launcher needs. */
    protected Map<String, String> launchEnvironment()
    {
        return Map.of();
    }

    /** Prepares and starts the container, and waits until every context in {@code ready} answers /healthz. */
    public void start(List<Deployment> deployments, Map<String, String> environment, Map<String, String> systemProperties,
        List<String> ready) throws Exception
    {
        prepare(deployments);
        ProcessBuilder builder = new ProcessBuilder(command(systemProperties))
            .directory(base.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
        builder.environment().putAll(launchEnvironment());
        builder.environment().putAll(environment);
        process = builder.start();
        deploy(deployments);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (String contextPath : ready)
            awaitHealthy(client, contextPath);
    }

    private void awaitHealthy(HttpClient client, String contextPath) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
                throw new IllegalStateException(getClass().getSimpleName() + " exited:\n" + console());
            try
            {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(contextPath, "/healthz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200)
                    return;
            }
            catch (IOException notYet)
            {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(contextPath + "/healthz did not answer 200 within 90 s:\n" + console());
    }

    public URI uri(String contextPath, String pathAndQuery)
    {
        return URI.create("http://127.0.0.1:" + port + contextPath + pathAndQuery);
    }

    public int port()
    {
        return port;
    }

    /** A file relative to the container's working directory (its base directory). */
    public Path logFile(String name)
    {
        return base.resolve(name);
    }

    /** The container's base directory: its configuration, logs and working directory. */
    public Path base()
    {
        return base;
    }

    public Path consoleFile()
    {
        return output;
    }

    /** Everything the container printed to its console so far. */
    public String console() throws IOException
    {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.ISO_8859_1) : "";
    }

    @Override
    public void close() throws Exception
    {
        if (process == null)
            return;
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        if (!process.waitFor(20, TimeUnit.SECONDS))
            all.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The javax copy of the WAR that the build makes for Servlet 4.0 servers. */
    public static Path javaxWar()
    {
        return Path.of(System.getProperty("proxy.javax.war", "target/proxy-litellm-javax.war"));
    }

    protected static String java()
    {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The JDK running the tests, for servers whose launch script looks for JAVA_HOME. */
    protected static String javaHome()
    {
        return Path.of(java()).toAbsolutePath().getParent().getParent().toString();
    }

    protected static String xml(String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    protected static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
