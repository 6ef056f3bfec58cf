package dev.proxylitellm;

import dev.proxylitellm.http.JsonResponses;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET <ctx>/healthz}: 200 {@code {"status":"ok"}} whenever the webapp is up, without calling
 * upstream, so a load balancer's health checks cost no tokens and do not depend on upstream.
 */
public class HealthServlet extends HttpServlet
{
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        JsonResponses.write(response, 200, "{\"status\":\"ok\"}");
    }
}
