package dev.proxylitellm.local;

import dev.proxylitellm.config.ConfigKey;
import dev.proxylitellm.config.ConfigLoader;
import dev.proxylitellm.config.ConfigSource;
import dev.proxylitellm.support.EmbeddedProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the proxy webapp locally in embedded Jetty: {@code mvn test-compile exec:java} (see the
 * README). It reads configuration like a deployed WAR does (system properties, environment,
 * {@code .env}); with no {@code LITELLM_BASE_URL} anywhere it starts {@link StubLiteLlm} and
 * proxies to that, so the proxy can be tried with no LiteLLM and no credentials.
 * Arguments: {@code --port N} (default 8000), {@code --host H} (default 127.0.0.1),
 * {@code --context /path} (default the root).
 */
public final class LocalRun
{
    private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);

    private LocalRun()
    {
    }

    public static void main(String[] args) throws Exception
    {
        int port = Integer.parseInt(argument(args, "--port", "8000"));
        String host = argument(args, "--host", "127.0.0.1");
        String contextPath = argument(args, "--context", "");
        List<ConfigSource> sources = new ArrayList<>(ConfigLoader.standardSources());
        if (new ConfigLoader(sources).value(ConfigKey.LITELLM_BASE_URL).isEmpty())
        {
            StubLiteLlm stub = StubLiteLlm.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(stub)));
            LOG.warn("No LITELLM_BASE_URL configured: proxying to the built-in STUB LiteLLM at {} (canned answers, "
                + "fake credentials). Put your settings in .env to proxy to a real upstream.", stub.baseUrl());
            sources.add(ConfigSource.ofMap("built-in stub settings", Map.of(
                "LITELLM_BASE_URL", stub.baseUrl().toString(),
                "DS_APP_ID", "local-stub",
                "DS_KEY", "stub-ds-key",
                "LITELLM_API_KEY", "stub-litellm-key")));
        }
        // Jetty would repeat a configuration error with its stack trace: the webapp's ERROR line says it all.
        ((ch.qos.logback.classic.Logger)LoggerFactory.getLogger("org.eclipse.jetty.ee10.webapp.WebAppContext"))
            .setLevel(ch.qos.logback.classic.Level.ERROR);
        EmbeddedProxy proxy;
        try
        {
            proxy = new EmbeddedProxy(sources, host, port, contextPath, true);
        }
        catch (Exception x)
        {
            // A configuration problem was logged as one ERROR line naming every key to fix: no stack trace.
            if (!isConfigurationProblem(x))
                LOG.error("proxy-litellm did not start: {}", x.toString());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(proxy)));
        LOG.info("proxy-litellm listening: point OpenAI clients at {}", proxy.uri("/v1"));
        Thread.currentThread().join();
    }

    private static boolean isConfigurationProblem(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (String.valueOf(t.getMessage()).startsWith("proxy-litellm configuration"))
                return true;
        }
        return false;
    }

    private static String argument(String[] args, String name, String fallback)
    {
        for (int i = 0; i + 1 < args.length; i++)
        {
            if (args[i].equals(name))
                return args[i + 1];
        }
        return fallback;
    }

    private static void close(AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (Exception x)
        {
            LOG.debug("close failed", x);
        }
    }
}
