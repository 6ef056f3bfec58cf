package dev.proxylitellm.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.proxylitellm.config.ProxyConfig;
import java.util.Collection;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets up logback from the configuration, the way the original proxy logged: to the console and
 * to {@code LOG_FILE}, at {@code LOG_LEVEL}. Every line is redacted. It configures only the
 * logback this webapp carries, so the container's own logging is left alone.
 */
public final class ProxyLogging
{
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} %X{request_id:--} - %msg%n";
    /**
     * Jetty's wire-level loggers: at DEBUG they dump raw buffers (prompts, completions, every
     * header in forms no redaction can recognise reliably), so they never go below INFO.
     */
    static final List<String> WIRE_LOGGERS = List.of("org.eclipse.jetty.io", "org.eclipse.jetty.http", "org.eclipse.jetty.util");
    /**
     * Jetty's proxy and client: several lines per chunk at DEBUG, enough to make a loaded proxy
     * fall behind its streams. At {@code DEBUG} the proxy tells each request's story itself;
     * Jetty's internals come in only at {@code TRACE}.
     */
    static final String JETTY = "org.eclipse.jetty";
    private static final String IGNORE = "[ignore]";
    private static final int ASYNC_QUEUE = 8192;

    private ProxyLogging()
    {
    }

    /**
     * Replaces logback's configuration; a no-op when SLF4J is bound to another backend.
     *
     * @param clientKeys the plain client keys (from PROXY_API_KEYS), redacted like the other secrets
     */
    public static void configure(ProxyConfig config, Collection<String> credentialHeaderNames, Collection<String> clientKeys)
    {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context))
            return;
        List<String> secrets = new java.util.ArrayList<>(List.of(config.dsKey(), config.liteLlmApiKey(), config.liteLlmKeyHeaderValue()));
        if (config.upstreamProxyPassword() != null)
            secrets.add(config.upstreamProxyPassword());
        if (config.metricsToken() != null)
            secrets.add(config.metricsToken());
        if (config.rateLimitRedis().password() != null)
            secrets.add(config.rateLimitRedis().password());
        secrets.addAll(clientKeys);
        SecretRedactor redactor = new SecretRedactor(secrets, credentialHeaderNames);
        context.reset();
        AccessLog.keyValues(config.jsonLogs());
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Level level = Level.toLevel(config.logLevel(), Level.INFO);
        root.setLevel(level);
        if (level.levelInt == Level.DEBUG_INT)
            context.getLogger(JETTY).setLevel(Level.INFO);
        if (level.levelInt < Level.INFO_INT)
            WIRE_LOGGERS.forEach(name -> context.getLogger(name).setLevel(Level.INFO));
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName("console");
        start(context, console, redactor, config.jsonLogs());
        root.addAppender(offThread(context, console));
        if (!config.logFile().isEmpty())
        {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setName("file");
            file.setFile(config.logFile());
            file.setAppend(true);
            start(context, file, redactor, config.jsonLogs());
            root.addAppender(offThread(context, file));
        }
        context.start();
    }

    /** Closes the log file and stops logback's threads, so an undeployed webapp leaves nothing running. */
    public static void stop()
    {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
            context.stop();
    }

    /**
     * Encodes and writes on logback's own worker thread: a request thread never waits for the
     * console or the disk, and the encoders' per-thread buffers live on that one thread, which
     * stops with the webapp (on the container's pooled threads Tomcat reported them as leaks).
     * Nothing is dropped: a full queue makes the caller wait rather than lose lines, and when the
     * webapp stops the queue is written out in up to {@value #FLUSH_AT_STOP_MS} ms (logback's
     * default, one second, lost the last lines of a busy TRACE log on a loaded machine).
     */
    private static final int FLUSH_AT_STOP_MS = 30_000;

    private static AsyncAppender offThread(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender)
    {
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName(appender.getName() + "-async");
        async.setQueueSize(ASYNC_QUEUE);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false);
        async.setMaxFlushTime(FLUSH_AT_STOP_MS);
        async.setIncludeCallerData(false);
        async.addAppender(appender);
        async.start();
        return async;
    }

    private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, SecretRedactor redactor, boolean json)
    {
        appender.setContext(context);
        appender.setEncoder(json ? jsonEncoder(context, redactor) : textEncoder(context, redactor));
        appender.start();
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context, SecretRedactor redactor)
    {
        RedactingLayout layout = new RedactingLayout(redactor);
        layout.setContext(context);
        layout.setPattern(PATTERN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    /**
     * The logstash encoder: an ISO-8601 {@code @timestamp}, level, thread, logger, the request id
     * from the MDC, the message, and each key-value pair as a flat, typed top-level field.
     * Values are redacted before they are encoded.
     */
    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context, SecretRedactor redactor)
    {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setIncludeContext(false);
        LogstashFieldNames names = new LogstashFieldNames();
        names.setVersion(IGNORE);
        names.setLevelValue(IGNORE);
        encoder.setFieldNames(names);
        MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
        masking.addValueMasker(new RedactingValues(redactor));
        masking.start();
        encoder.setJsonGeneratorDecorator(masking);
        encoder.start();
        return encoder;
    }
}
