package dev.proxylitellm;

import dev.proxylitellm.config.ConfigException;
import dev.proxylitellm.config.ConfigKey;
import dev.proxylitellm.config.ConfigLoader;
import dev.proxylitellm.config.ConfigSource;
import dev.proxylitellm.config.ProxyConfig;
import dev.proxylitellm.logging.ProxyLogging;
import dev.proxylitellm.metrics.ExchangeMetrics;
import dev.proxylitellm.metrics.MetricsEndpoint;
import dev.proxylitellm.metrics.ProxyMetrics;
import dev.proxylitellm.upstream.CredentialHeaders;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and validates the configuration once, when the webapp starts, sets up logging from it and
 * publishes it to the servlets. Invalid or missing configuration fails the deployment itself
 * (a listener that throws stops the context in every container), so the proxy never runs
 * half-configured.
 */
public class ProxyBootstrap implements ServletContextListener
{
    /**
     * Context attribute through which an embedding application (the local runner, tests) can
     * hand in its own {@code List<ConfigSource>} instead of the standard ones.
     */
    public static final String CONFIG_SOURCES_ATTRIBUTE = ProxyBootstrap.class.getName() + ".configSources";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyBootstrap.class);

    @Override
    public void contextInitialized(ServletContextEvent event)
    {
        ServletContext context = event.getServletContext();
        ConfigLoader loader = null;
        ProxyConfig config;
        try
        {
            loader = new ConfigLoader(sources(context));
            config = loader.load();
        }
        catch (ConfigException x)
        {
            if (loader != null)
                loader.warnings().forEach(LOG::warn);
            LOG.error(x.getMessage());
            throw new IllegalStateException(x.getMessage());
        }
        ProxyLogging.configure(config, new CredentialHeaders(config).strippedNames(), plainClientKeys(loader));
        loader.warnings().forEach(LOG::warn);
        context.setAttribute(ProxyConfig.class.getName(), config);
        if (config.metricsEnabled())
        {
            ProxyMetrics metrics = new ProxyMetrics();
            context.setAttribute(ExchangeMetrics.class.getName(), metrics);
            context.addServlet("metrics", new MetricsEndpoint(metrics, config.metricsToken(), config.clientKeys())).addMapping("/metrics");
        }
        LOG.info("proxy-litellm forwarding {}/v1/* to {}", context.getContextPath(), config);
        if (config.clientKeys().isEmpty())
            LOG.warn("No inbound access control: anyone who can reach {}/v1 spends the organisation's LLM credentials. "
                + "Set PROXY_API_KEYS or PROXY_API_KEYS_FILE (and ALLOWED_CLIENT_CIDRS).", context.getContextPath());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event)
    {
        event.getServletContext().removeAttribute(ProxyConfig.class.getName());
        event.getServletContext().removeAttribute(ExchangeMetrics.class.getName());
        ProxyLogging.stop();
    }

    /** The metrics this webapp keeps, or {@link ExchangeMetrics#NONE} when they are turned off. */
    public static ExchangeMetrics metrics(ServletContext context)
    {
        Object metrics = context.getAttribute(ExchangeMetrics.class.getName());
        return metrics == null ? ExchangeMetrics.NONE : (ExchangeMetrics)metrics;
    }

    /** Plain client keys exist only in PROXY_API_KEYS; the logs must never show them. */
    private static List<String> plainClientKeys(ConfigLoader loader)
    {
        String keys = loader.value(ConfigKey.PROXY_API_KEYS).orElse("");
        return Arrays.stream(keys.split(",")).map(String::trim).filter(key -> !key.isEmpty()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<ConfigSource> sources(ServletContext context)
    {
        Object embedded = context.getAttribute(CONFIG_SOURCES_ATTRIBUTE);
        if (embedded != null)
            return (List<ConfigSource>)embedded;
        return ConfigLoader.standardSources(ConfigSource.of("servlet context parameters", context::getInitParameter,
            () -> new java.util.HashSet<>(java.util.Collections.list(context.getInitParameterNames()))));
    }
}
