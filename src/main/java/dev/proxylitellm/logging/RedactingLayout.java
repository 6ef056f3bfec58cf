package dev.proxylitellm.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A pattern layout whose every line, stack traces included, passes through a
 * {@link SecretRedactor} before it reaches an appender.
 */
public final class RedactingLayout extends PatternLayout
{
    private final SecretRedactor redactor;

    public RedactingLayout(SecretRedactor redactor)
    {
        this.redactor = redactor;
    }

    @Override
    public String doLayout(ILoggingEvent event)
    {
        return redactor.redact(super.doLayout(event));
    }
}
