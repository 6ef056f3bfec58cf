package dev.proxylitellm.containers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.FakeRealtimeUpstream;
import dev.proxylitellm.support.WebSocketClient;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A realtime WebSocket session through the WAR deployed (as /llm) in stock Tomcat 11 and in the Jetty 12.1 distribution. */
class RealtimeIT
{
    @ParameterizedTest
    @ValueSource(strings = {"tomcat11", "jetty"})
    void relaysASessionBothWaysWithCredentialsAndCloseCodes(String server) throws Exception
    {
        try (FakeRealtimeUpstream upstream = FakeRealtimeUpstream.start();
             ServletContainer container = server.equals("jetty") ? new Jetty() : new Tomcat("tomcat11.home"))
        {
            container.start(List.of(new Deployment("/llm", Map.of())),
                Map.of("LITELLM_BASE_URL", upstream.baseUrl().toString(), "DS_KEY", "rt-ds-key", "DS_APP_ID", "rt-app",
                    "LITELLM_API_KEY", "rt-litellm-key", "LOG_FILE", ""),
                Map.of(), List.of("/llm"));
            URI uri = URI.create(container.uri("/llm", "/v1/realtime?model=m").toString().replaceFirst("^http", "ws"));

            WebSocketClient client = WebSocketClient.connect(uri, Map.of("OpenAI-Beta", "realtime=v1"), "realtime");

            FakeRealtimeUpstream.Handshake handshake = upstream.takeHandshake();
            assertEquals("model=m&app_id=rt-app", handshake.query());
            assertEquals("rt-ds-key", handshake.header("Authorization"));
            assertEquals("Bearer rt-litellm-key", handshake.header("X-LiteLLM-Key"));
            assertEquals("realtime", client.socket().getSubprotocol());
            client.sendText("{\"type\":\"session.update\"}");
            assertEquals("{\"type\":\"session.update\"}", client.next());
            byte[] audio = new byte[256 * 1024];
            new java.util.Random(3).nextBytes(audio);
            client.sendBinary(audio);
            assertArrayEquals(audio, (byte[])client.next());
            client.socket().sendClose(4002, "done here").get(10, TimeUnit.SECONDS);
            CloseReason seen = upstream.awaitClose(10);
            assertNotNull(seen, "upstream saw no close");
            assertEquals(4002, seen.getCloseCode().getCode());
            assertEquals("done here", seen.getReasonPhrase());
        }
    }

    @Test
    void withoutWebSocketSupportTheWarStillDeploysAndRealtimeSays501() throws Exception
    {
        try (FakeRealtimeUpstream upstream = FakeRealtimeUpstream.start(); ServletContainer jetty = new Jetty(false))
        {
            jetty.start(List.of(new Deployment("/llm", Map.of())),
                Map.of("LITELLM_BASE_URL", upstream.baseUrl().toString(), "DS_KEY", "k1", "DS_APP_ID", "a1", "LITELLM_API_KEY", "l1", "LOG_FILE", ""),
                Map.of(), List.of("/llm"));
            URI uri = URI.create(jetty.uri("/llm", "/v1/realtime").toString().replaceFirst("^http", "ws"));
            java.util.concurrent.ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> WebSocketClient.connect(uri, Map.of()));
            java.net.http.HttpResponse<?> refused = ((java.net.http.WebSocketHandshakeException)failure.getCause()).getResponse();
            assertEquals(501, refused.statusCode());
            assertTrue(String.valueOf(refused.body()).contains("websocket_unavailable"), String.valueOf(refused.body()));
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(jetty.uri("/llm", "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
