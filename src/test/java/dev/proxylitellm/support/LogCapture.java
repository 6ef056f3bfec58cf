package dev.proxylitellm.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures the formatted messages logged while it is open, for failures that happen before the
 * proxy has configured its own appenders (and so its log file).
 */
public final class LogCapture implements AutoCloseable
{
    private final List<String> lines = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>()
    {
        @Override
        protected void append(ILoggingEvent event)
        {
            synchronized (lines)
            {
                lines.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage());
            }
        }
    };

    private LogCapture()
    {
        LoggerContext context = (LoggerContext)LoggerFactory.getILoggerFactory();
        appender.setContext(context);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    public static LogCapture start()
    {
        return new LogCapture();
    }

    public List<String> linesContaining(String text)
    {
        synchronized (lines)
        {
            return lines.stream().filter(line -> line.contains(text)).toList();
        }
    }

    public String text()
    {
        synchronized (lines)
        {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close()
    {
        LoggerContext context = (LoggerContext)LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }
}
