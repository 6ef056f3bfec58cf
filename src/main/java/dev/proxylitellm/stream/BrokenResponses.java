package dev.proxylitellm.stream;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
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
 * Open Liberty has neither, and its own abort ({@code finish(Exception)}) writes the terminating
 * chunk first; there the socket under the HTTP channel (Netty's, or the channel framework's TCP
 * link) is closed, found by reflection. Anywhere else the response ends cleanly (an event stream
 * still carries its error event).
 */
public final class BrokenResponses
{
    private static final String ATTRIBUTE = BrokenResponses.class.getName();
    /** Why a response is broken, in the exceptions that break it. */
    private static final String CUT = "upstream failed after the response had started";
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
            if (closeUndertowConnection(request) || closeLibertySocket(response))
                return false;
            // Only Tomcat turns an exception thrown after commit into a broken connection; other
            // servers log it at length and end the response cleanly all the same.
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

    /**
     * Closes the socket under an Open Liberty response: {@code SRTServletResponse.getIResponse()},
     * its {@code HttpInboundConnection} ({@code HttpDispatcherLink}), then the Netty channel or the
     * TCP device link. False elsewhere, or if Liberty's insides have moved.
     */
    private static boolean closeLibertySocket(ServletResponse response)
    {
        ServletResponse unwrapped = response;
        while (unwrapped instanceof ServletResponseWrapper wrapper)
            unwrapped = wrapper.getResponse();
        String type = unwrapped.getClass().getName();
        if (!type.startsWith("com.ibm.ws.") && !type.startsWith("io.openliberty."))
            return false;
        try
        {
            Object iResponse = unwrapped.getClass().getMethod("getIResponse").invoke(unwrapped);
            Object connection = Reflection.field(iResponse, "conn");
            if ((Boolean)connection.getClass().getMethod("isUsingNetty").invoke(connection))
            {
                Object context = Reflection.field(connection, "nettyContext");
                Object channel = Reflection.call(context, "io.netty.channel.ChannelHandlerContext", "channel");
                Reflection.call(channel, "io.netty.channel.ChannelOutboundInvoker", "close");
                return true;
            }
            Object deviceLink = connection.getClass().getMethod("getHttpInboundDeviceLink").invoke(connection);
            Object virtualConnection = connection.getClass().getMethod("getVC").invoke(connection);
            Class<?> link = Class.forName("com.ibm.wsspi.channelfw.ConnectionLink", false, deviceLink.getClass().getClassLoader());
            Class<?> vc = Class.forName("com.ibm.wsspi.channelfw.VirtualConnection", false, deviceLink.getClass().getClassLoader());
            link.getMethod("close", vc, Exception.class).invoke(deviceLink, virtualConnection, new IOException(CUT));
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
            throw CLOSE_NOW == null ? new IOException(CUT) : newCloseNow(CUT);
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
