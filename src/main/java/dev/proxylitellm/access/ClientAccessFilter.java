package dev.proxylitellm.access;

import dev.proxylitellm.config.Cidr;
import dev.proxylitellm.config.ClientKeys;
import dev.proxylitellm.config.ProxyConfig;
import dev.proxylitellm.errors.ErrorResponses;
import dev.proxylitellm.errors.OpenAiError;
import dev.proxylitellm.http.WebSocketSubprotocols;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Inbound access control in front of the proxy: the caller's address must lie in
 * {@code ALLOWED_CLIENT_CIDRS} (when set) and the request must carry one of the client keys (when
 * any are configured) as {@code Authorization: Bearer <key>} — what OpenAI SDKs send as their api
 * key — or {@code X-Api-Key}, or (WebSocket from a browser) the {@code openai-insecure-api-key.<key>}
 * subprotocol. Refused requests get the OpenAI error shape and never reach upstream.
 * The accepted client's identity, a digest prefix, is left for the access log.
 */
public class ClientAccessFilter implements Filter
{
    /** Request attribute holding the caller's identity, such as {@code sha256:1a2b3c4d}. */
    public static final String CLIENT_IDENTITY = ClientAccessFilter.class.getName() + ".identity";

    private static final OpenAiError FORBIDDEN = new OpenAiError(403, OpenAiError.INVALID_REQUEST, "forbidden",
        "This proxy does not accept calls from your network address.");
    private static final OpenAiError INVALID_KEY = new OpenAiError(401, OpenAiError.INVALID_REQUEST, "invalid_api_key",
        "Missing or unknown API key: send one of this proxy's client keys as 'Authorization: Bearer <key>'.");

    /** The WebSocket subprotocol prefix browsers use to send an api key, which they cannot put in a header. */
    public static final String KEY_SUBPROTOCOL_PREFIX = "openai-insecure-api-key.";

    private ClientKeys keys;
    private List<Cidr> allowed;

    @Override
    public void init(FilterConfig filterConfig) throws ServletException
    {
        ProxyConfig config = (ProxyConfig)filterConfig.getServletContext().getAttribute(ProxyConfig.class.getName());
        if (config == null)
            throw new ServletException("No proxy-litellm configuration: the ProxyBootstrap listener must run first");
        keys = config.clientKeys();
        allowed = config.allowedClients();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException
    {
        HttpServletRequest clientRequest = (HttpServletRequest)request;
        HttpServletResponse proxyResponse = (HttpServletResponse)response;
        if (!allowed.isEmpty() && allowed.stream().noneMatch(range -> range.contains(clientRequest.getRemoteAddr())))
        {
            ErrorResponses.write(proxyResponse, FORBIDDEN);
            return;
        }
        if (!keys.isEmpty())
        {
            Optional<String> identity = presentedKey(clientRequest).flatMap(keys::identify);
            if (identity.isEmpty())
            {
                proxyResponse.setHeader("WWW-Authenticate", "Bearer");
                ErrorResponses.write(proxyResponse, INVALID_KEY);
                return;
            }
            clientRequest.setAttribute(CLIENT_IDENTITY, identity.get());
        }
        chain.doFilter(request, response);
    }

    private static Optional<String> presentedKey(HttpServletRequest clientRequest)
    {
        String authorization = clientRequest.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7))
            return Optional.of(authorization.substring(7).trim());
        String apiKey = clientRequest.getHeader("X-Api-Key");
        if (apiKey != null)
            return Optional.of(apiKey.trim());
        // Browsers cannot set headers on a WebSocket: OpenAI's clients send the key as a subprotocol.
        return WebSocketSubprotocols.offered(clientRequest).stream()
            .filter(protocol -> protocol.startsWith(KEY_SUBPROTOCOL_PREFIX))
            .findFirst()
            .map(protocol -> protocol.substring(KEY_SUBPROTOCOL_PREFIX.length()));
    }
}
