package dev.proxylitellm.http;

import java.lang.reflect.Method;

/**
 * Reads the status code of Jetty's {@code HttpException} (such as {@code BadMessageException})
 * whichever class loader defined it: in the Jetty distribution the server's exception is not the
 * class this WAR carries, so {@code instanceof} fails there.
 */
public final class JettyHttpExceptions
{
    private static final String HTTP_EXCEPTION = "org.eclipse.jetty.http.HttpException";

    private JettyHttpExceptions()
    {
    }

    /** The exception's HTTP status code, or -1 when it is not one of Jetty's HTTP exceptions. */
    public static int code(Throwable failure)
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
