package dev.proxylitellm.errors;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.http.HttpException;

/**
 * Turns a failure of the upstream exchange into the error the client sees. The exception's own
 * text never reaches the client: it may name internal hosts.
 */
public final class UpstreamFailures
{
    private UpstreamFailures()
    {
    }

    public static OpenAiError classify(Throwable failure)
    {
        if (isCause(failure, UnknownHostException.class) || isCause(failure, UnresolvedAddressException.class))
            return unreachable("The upstream API's host name could not be resolved.");
        if (isCause(failure, SSLException.class))
            return unreachable("The TLS handshake with the upstream API failed.");
        if (isCause(failure, ConnectException.class) || isCause(failure, NoRouteToHostException.class))
            return unreachable("The upstream API refused the connection or could not be reached.");
        if (isCause(failure, SocketTimeoutException.class))
            return unreachable("Connecting to the upstream API timed out.");
        if (isCause(failure, TimeoutException.class))
            return new OpenAiError(504, OpenAiError.UPSTREAM, "upstream_timeout",
                "The upstream API sent nothing within the proxy's idle timeout.");
        return new OpenAiError(502, OpenAiError.UPSTREAM, "upstream_error",
            "The upstream API closed the connection or sent an invalid response.");
    }

    /**
     * The kind of an upstream failure, as a metric label: {@code connect} (name resolution, refusal,
     * connect timeout), {@code tls}, {@code timeout} (upstream idle too long), {@code protocol}
     * (an invalid HTTP response) or {@code reset} (the connection closed or broke mid-exchange).
     */
    public static String kind(Throwable failure)
    {
        if (isCause(failure, SSLException.class))
            return "tls";
        if (isCause(failure, UnknownHostException.class) || isCause(failure, UnresolvedAddressException.class)
            || isCause(failure, ConnectException.class) || isCause(failure, NoRouteToHostException.class)
            || isCause(failure, SocketTimeoutException.class))
            return "connect";
        if (isCause(failure, TimeoutException.class))
            return "timeout";
        if (isCause(failure, HttpException.class))
            return "protocol";
        return "reset";
    }

    private static OpenAiError unreachable(String message)
    {
        return new OpenAiError(502, OpenAiError.UPSTREAM, "upstream_unreachable", message);
    }

    private static boolean isCause(Throwable failure, Class<?> type)
    {
        for (Throwable t : Causes.of(failure))
        {
            if (type.isInstance(t))
                return true;
        }
        return false;
    }
}
