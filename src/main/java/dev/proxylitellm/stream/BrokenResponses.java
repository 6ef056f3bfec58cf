package dev.proxylitellm.stream;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Constructor;

/**
 * Breaks the connection of a response that is already under way, so that a client cannot take a
 * truncated body for a complete one. The Servlet API has no call for this. Jetty aborts on
 * {@code sendError(-1)}; Tomcat refuses that once the response is committed, but closes the
 * connection at once when a servlet throws its {@code CloseNowException} after commit, quietly.
 * So on Tomcat the request is dispatched back to the servlet, which calls {@link #rethrow}.
 * Undertow (WildFly) has neither: its exchange's connection is closed, found by reflection.
 * Open Liberty offers no way at all; there the response ends cleanly (an event stream still
 * carries its error event).
 */
public final class BrokenResponses
{
    private static final String ATTRIBUTE = BrokenResponses.class.getName();
    private static final Constructor<? extends IOException> CLOSE_NOW = closeNowException();

    private BrokenResponses()
    {
    }

    /**
     * Breaks {@code response}'s connection.
     *
     * @return true if the async request was dispatched and must not be completed by the caller
     */
    public static boolean abort(HttpServletRequest request, HttpServletResponse response)
    {
        try
        {
            response.sendError(-1);
            return false;
        }
        catch (IOException | IllegalStateException refused)
        {
            if (closeUndertowConnection(request))
                return false;
            // Only Tomcat turns an exception thrown after commit into a broken connection; other
            // servers (Open Liberty) log it at length and end the response cleanly all the same.
            if (CLOSE_NOW == null || !request.isAsyncStarted())
                return false;
            request.setAttribute(ATTRIBUTE, Boolean.TRUE);
            request.getAsyncContext().dispatch();
            return true;
        }
    }

    /** Closes the connection under an Undertow request ({@code HttpServerExchange.getConnection().close()}); false elsewhere. */
    private static boolean closeUndertowConnection(ServletRequest request)
    {
        ServletRequest unwrapped = request;
        while (unwrapped instanceof ServletRequestWrapper wrapper)
            unwrapped = wrapper.getRequest();
        if (!unwrapped.getClass().getName().startsWith("io.undertow."))
            return false;
        try
        {
            Object exchange = unwrapped.getClass().getMethod("getExchange").invoke(unwrapped);
            Object connection = exchange.getClass().getMethod("getConnection").invoke(exchange);
            connection.getClass().getMethod("close").invoke(connection);
            return true;
        }
        catch (ReflectiveOperationException | RuntimeException | LinkageError notPossible)
        {
            return false;
        }
    }

    /** Called first in {@code service()}: finishes an abort begun by {@link #abort}. */
    public static void rethrow(HttpServletRequest request) throws IOException
    {
        if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(ATTRIBUTE) != null)
        {
            String message = "upstream failed after the response had started";
            throw CLOSE_NOW == null ? new IOException(message) : newCloseNow(message);
        }
    }

    private static IOException newCloseNow(String message)
    {
        try
        {
            return CLOSE_NOW.newInstance(message);
        }
        catch (ReflectiveOperationException x)
        {
            return new IOException(message);
        }
    }

    @SuppressWarnings("unchecked")
    private static Constructor<? extends IOException> closeNowException()
    {
        try
        {
            Class<?> type = Class.forName("org.apache.coyote.CloseNowException", false, BrokenResponses.class.getClassLoader());
            return (Constructor<? extends IOException>)type.getConstructor(String.class);
        }
        catch (ReflectiveOperationException | LinkageError notTomcat)
        {
            return null;
        }
    }
}
