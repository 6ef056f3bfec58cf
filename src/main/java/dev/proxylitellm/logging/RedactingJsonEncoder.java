package dev.proxylitellm.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;

/** Logback's JSON encoder, each encoded line passed through a {@link SecretRedactor} like the text lines. */
public final class RedactingJsonEncoder extends JsonEncoder
{
    private final SecretRedactor redactor;

    public RedactingJsonEncoder(SecretRedactor redactor)
    {
        this.redactor = redactor;
    }

    @Override
    public byte[] encode(ILoggingEvent event)
    {
        return redactor.redact(new String(super.encode(event), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
}
