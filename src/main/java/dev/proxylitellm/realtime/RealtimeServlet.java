package dev.proxylitellm.realtime;

import dev.proxylitellm.ProxyBootstrap;
import dev.proxylitellm.config.ProxyConfig;
import dev.proxylitellm.errors.ErrorResponses;
import dev.proxylitellm.errors.OpenAiError;
import dev.proxylitellm.metrics.ExchangeMetrics;
import dev.proxylitellm.target.InvalidTargetException;
import dev.proxylitellm.target.TargetRewriter;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

/**
 * {@code <ctx>/v1/realtime}: turns the client's WebSocket handshake into a session with the
 * upstream's {@code /realtime}, credentials and {@code app_id} added like for every HTTP call.
 * The upstream handshake happens first, so that a refusal reaches the client as its handshake's
 * status (upstream's, or 502 when upstream cannot be reached) and never as an opened-then-closed
 * socket; then the client is upgraded through the standard {@code ServerContainer} API, which
 * Tomcat and Jetty both provide. This class names no WebSocket API type, so that the WAR still
 * deploys in a container without one (a realtime call then gets 501).
 */
public class RealtimeServlet extends HttpServlet
{
    private static final String SERVER_CONTAINER = "jakarta.websocket.server.ServerContainer";
    private static final OpenAiError NOT_AN_UPGRADE = new OpenAiError(426, OpenAiError.INVALID_REQUEST, "upgrade_required",
        "/v1/realtime speaks WebSocket: connect with a WebSocket client.");
    private static final OpenAiError NO_WEBSOCKET = new OpenAiError(501, OpenAiError.INVALID_REQUEST, "websocket_unavailable",
        "This server offers no WebSocket upgrade to web applications (on Jetty, add the ee10-websocket-jakarta module; on Open Liberty, a websocket feature).");

    private transient TargetRewriter targets;
    private transient UpstreamSessions sessions;
    private transient RealtimeSettings settings;
    private transient ExchangeMetrics metrics;

    @Override
    public void init(ServletConfig servletConfig) throws ServletException
    {
        super.init(servletConfig);
        ProxyConfig config = (ProxyConfig)servletConfig.getServletContext().getAttribute(ProxyConfig.class.getName());
        if (config == null)
            throw new UnavailableException("No proxy-litellm configuration: the ProxyBootstrap listener must run first");
        targets = new TargetRewriter(config.baseUrl(), config.appId());
        sessions = new UpstreamSessions(config);
        settings = new RealtimeSettings(config.realtimeIdleTimeoutMs(), config.realtimeMaxMessageBytes());
        metrics = ProxyBootstrap.metrics(servletConfig.getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade")))
        {
            response.setHeader("Upgrade", "websocket");
            ErrorResponses.write(response, NOT_AN_UPGRADE);
            return;
        }
        Object container = getServletContext().getAttribute(SERVER_CONTAINER);
        if (container == null || !RealtimeUpgrade.supported(container))
        {
            ErrorResponses.write(response, NO_WEBSOCKET);
            return;
        }
        URI target;
        try
        {
            target = webSocketUri(targets.rewrite("/realtime", request.getQueryString()));
        }
        catch (InvalidTargetException x)
        {
            ErrorResponses.write(response, x.error());
            return;
        }
        RealtimeUpgrade.upgrade(container, request, response, target, sessions, settings, metrics);
    }

    /** The upstream target with http(s) turned into ws(s). */
    static URI webSocketUri(String httpTarget)
    {
        if (httpTarget.startsWith("https:"))
            return URI.create("wss:" + httpTarget.substring(6));
        return URI.create("ws:" + httpTarget.substring(httpTarget.indexOf(':') + 1));
    }

    @Override
    public void destroy()
    {
        try
        {
            sessions.close();
        }
        catch (Exception x)
        {
            log("could not close the realtime client", x);
        }
        super.destroy();
    }
}
