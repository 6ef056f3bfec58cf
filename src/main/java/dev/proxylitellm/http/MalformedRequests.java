package dev.proxylitellm.http;

import dev.proxylitellm.errors.Causes;
import java.lang.reflect.Method;

/**
 * Tells a request body the container found malformed (a bad chunk, say) from a client that left,
 * by the container's own exception: Jetty's {@code HttpException} (such as
 * {@code BadMessageException}) with its 4xx code, Tomcat's {@code BadRequestException}, or
 * Undertow's (WildFly) {@code RequestTooBigException} for a body over its {@code max-post-size}
 * (413) and {@code MalformedMessageException}, or Open Liberty's {@code IllegalHttpBodyException}.
 * All are matched by name, whichever class loader defined them: in the Jetty distribution the
 * server's exception is not the class this WAR carries, so {@code instanceof} fails there.
 */
public final class MalformedRequests
{
    private static final String HTTP_EXCEPTION = "org.eclipse.jetty.http.HttpException";
    private static final String TOMCAT_BAD_REQUEST = "org.apache.coyote.BadRequestException";
    private static final String UNDERTOW_TOO_BIG = "io.undertow.server.RequestTooBigException";
    private static final String UNDERTOW_MALFORMED = "io.undertow.util.MalformedMessageException";
    private static final String LIBERTY_ILLEGAL_BODY = "com.ibm.wsspi.http.channel.exception.IllegalHttpBodyException";

    private MalformedRequests()
    {
    }

    /** The 4xx status for a failure (or one of its causes) that says the request was malformed, or -1. */
    public static int status(Throwable failure)
    {
        for (Throwable cause : Causes.of(failure))
        {
            String name = cause.getClass().getName();
            if (name.equals(TOMCAT_BAD_REQUEST) || name.equals(UNDERTOW_MALFORMED) || name.equals(LIBERTY_ILLEGAL_BODY))
                return 400;
            if (name.equals(UNDERTOW_TOO_BIG))
                return 413;
            int code = code(cause);
            if (code >= 400 && code < 500)
                return code;
        }
        return -1;
    }

    /** The exception's HTTP status code, or -1 when it is not one of Jetty's HTTP exceptions. */
    static int code(Throwable failure)
    {
        Class<?> httpException = httpException(failure.getClass());
        if (httpException == null)
            return -1;
        try
        {
            // Through the public interface: the exception's own class may be private (HttpConnection$HttpEofException).
            Method getCode = httpException.getMethod("getCode");
            return getCode.invoke(failure) instanceof Integer code ? code : -1;
        }
        catch (ReflectiveOperationException | RuntimeException x)
        {
            return -1;
        }
    }

    /** Jetty's {@code HttpException} interface among the type's supertypes, or null. */
    private static Class<?> httpException(Class<?> type)
    {
        for (Class<?> c = type; c != null; c = c.getSuperclass())
        {
            if (c.isInterface() && c.getName().equals(HTTP_EXCEPTION))
                return c;
            for (Class<?> i : c.getInterfaces())
            {
                Class<?> found = httpException(i);
                if (found != null)
                    return found;
            }
        }
        return null;
    }
}
