package dev.proxylitellm.http;

import dev.proxylitellm.errors.Causes;
import java.lang.reflect.Method;

/**
 * Tells a request body the container found malformed (a bad chunk, say) from a client that left,
 * by the container's own exception: Jetty's {@code HttpException} (such as
 * {@code BadMessageException}) with its 4xx code, or Tomcat's {@code BadRequestException}. Both
 * are matched by name, whichever class loader defined them: in the Jetty distribution the
 * server's exception is not the class this WAR carries, so {@code instanceof} fails there.
 */
public final class MalformedRequests
{
    private static final String HTTP_EXCEPTION = "org.eclipse.jetty.http.HttpException";
    private static final String TOMCAT_BAD_REQUEST = "org.apache.coyote.BadRequestException";

    private MalformedRequests()
    {
    }

    /** The 4xx status for a failure (or one of its causes) that says the request was malformed, or -1. */
    public static int status(Throwable failure)
    {
        for (Throwable cause : Causes.of(failure))
        {
            if (cause.getClass().getName().equals(TOMCAT_BAD_REQUEST))
                return 400;
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
