package dev.proxylitellm.logging;

import dev.proxylitellm.http.Exchange;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's own story of each request at {@code LOG_LEVEL=DEBUG}, a few lines whatever the
 * response's length: what came in and where it goes (the rewritten target, the headers sent
 * upstream), what upstream answered and when, and how it failed if it did; the INFO access line
 * ends it. Credential header values are never written, whatever their case; bodies never are.
 */
public final class ExchangeDebugLog
{
    private static final Logger LOG = LoggerFactory.getLogger("dev.proxylitellm.exchange");

    private final Set<String> credentialHeaders;

    /** @param credentialHeaders lower-case names of headers whose values are never logged (cookies never are either) */
    public ExchangeDebugLog(Set<String> credentialHeaders)
    {
        Set<String> names = new java.util.HashSet<>(credentialHeaders);
        names.add("cookie");
        names.add("set-cookie");
        this.credentialHeaders = Set.copyOf(names);
    }

    public static boolean isEnabled()
    {
        return LOG.isDebugEnabled();
    }

    /** The request as the client sent it and as it goes upstream. */
    public void forwarding(Exchange exchange, String remoteAddress, String target, HttpFields upstreamHeaders)
    {
        log(exchange, "{} {} from {} -> {} with {}", exchange.method(), exchange.path(), remoteAddress, target, headers(upstreamHeaders));
    }

    /** Upstream's response headers. */
    public void upstreamAnswered(Exchange exchange, int status, HttpFields headers)
    {
        log(exchange, "upstream answered {} after {} ms with {}", status, exchange.upstreamTtfbMillis(), headers(headers));
    }

    /** A failed exchange, by the error code the client gets and the failure's kind (never its text, which may name hosts). */
    public void failed(Exchange exchange, String code, Throwable failure)
    {
        log(exchange, "failed after {} ms: {} ({})", exchange.elapsedMillis(), code, failure.getClass().getName());
    }

    /** The client's side failed: it left, or its body could not be read. */
    public void clientFailed(Exchange exchange, Throwable failure)
    {
        log(exchange, "client request failed after {} ms ({})", exchange.elapsedMillis(), failure.getClass().getName());
    }

    private void log(Exchange exchange, String format, Object... arguments)
    {
        if (LOG.isDebugEnabled())
            AccessLog.withRequestId(exchange.requestId(), () -> LOG.debug(format, arguments));
    }

    /**
     * The headers, credentials last: the line redactor blanks everything after a credential
     * header's name (it cannot know where the value ends), which then costs no other header.
     */
    private String headers(HttpFields fields)
    {
        StringBuilder plain = new StringBuilder();
        StringBuilder credentials = new StringBuilder();
        for (HttpField field : fields)
        {
            boolean secret = credentialHeaders.contains(field.getName().toLowerCase(Locale.ROOT));
            StringBuilder text = secret ? credentials : plain;
            if (!text.isEmpty())
                text.append(", ");
            text.append(field.getName()).append(": ").append(secret ? SecretRedactor.MASK : field.getValue());
        }
        if (!plain.isEmpty() && !credentials.isEmpty())
            plain.append(", ");
        return "[" + plain + credentials + "]";
    }
}
