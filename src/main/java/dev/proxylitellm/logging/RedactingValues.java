package dev.proxylitellm.logging;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

/**
 * Redacts every string value of a JSON log line (message, stack trace, MDC and key-value fields)
 * before it is escaped and written, so a redaction can never break the line's JSON.
 */
final class RedactingValues implements ValueMasker
{
    private final SecretRedactor redactor;

    RedactingValues(SecretRedactor redactor)
    {
        this.redactor = redactor;
    }

    @Override
    public Object mask(JsonStreamContext context, Object value)
    {
        if (!(value instanceof CharSequence text))
            return null;
        String original = text.toString();
        String redacted = redactor.redact(original);
        // null: leave the value as it is, unmasked.
        return redacted.equals(original) ? null : redacted;
    }
}
