package dev.proxylitellm.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.support.EmbeddedProxy;
import dev.proxylitellm.support.FakeUpstream;
import dev.proxylitellm.support.OpenAiErrorAssertions;
import dev.proxylitellm.support.RecordingForwardProxy;
import dev.proxylitellm.support.TestCertificates;
import dev.proxylitellm.support.TestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outbound proxies and private CAs, as found on corporate networks. */
class CorporateNetworkTest
{
    @TempDir
    Path logs;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(EmbeddedProxy proxy) throws Exception
    {
        return client.send(HttpRequest.newBuilder(proxy.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpUpstreamCallsGoThroughHttpProxyWithItsCredentials() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); RecordingForwardProxy forward = new RecordingForwardProxy())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.put("HTTP_PROXY", "http://corp%5Cuser:p%40ss@127.0.0.1:" + forward.port());
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpResponse<String> response = get(proxy);

                assertEquals(200, response.statusCode());
                assertEquals(1, forward.seen().size(), forward.seen().toString());
                assertEquals("GET " + upstream.baseUrl() + "/models?app_id=" + TestConfig.APP_ID + " HTTP/1.1", forward.seen().get(0).requestLine());
                assertEquals("Basic " + Base64.getEncoder().encodeToString("corp\\user:p@ss".getBytes(StandardCharsets.UTF_8)),
                    forward.seen().get(0).proxyAuthorization());
                assertEquals(TestConfig.DS_KEY, upstream.takeRequest().header("Authorization"));
            }
        }
    }

    @Test
    void httpsUpstreamCallsTunnelThroughHttpsProxyWithConnect() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.startTls(); RecordingForwardProxy forward = new RecordingForwardProxy())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.put("https_proxy", "127.0.0.1:" + forward.port());
            config.put("UPSTREAM_CA_FILE", TestCertificates.get().caPem().toString());
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpResponse<String> response = get(proxy);

                assertEquals(200, response.statusCode(), response.body());
                assertEquals("CONNECT 127.0.0.1:" + upstream.port() + " HTTP/1.1", forward.seen().get(0).requestLine());
                assertEquals("/v1/models?app_id=" + TestConfig.APP_ID, upstream.takeRequest().target());
            }
        }
    }

    @Test
    void noProxyHostsAreReachedDirectly() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); RecordingForwardProxy forward = new RecordingForwardProxy())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.put("HTTP_PROXY", "http://127.0.0.1:" + forward.port());
            config.put("NO_PROXY", "localhost,127.0.0.0/8");
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                assertEquals(200, get(proxy).statusCode());
                assertTrue(forward.seen().isEmpty(), forward.seen().toString());
            }
        }
    }

    @Test
    void upstreamProxyWinsOverTheEnvironmentsProxyAndNoProxy() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.start(); RecordingForwardProxy forward = new RecordingForwardProxy())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.put("HTTP_PROXY", "http://127.0.0.1:1");
            config.put("NO_PROXY", "*");
            config.put("UPSTREAM_PROXY", "http://127.0.0.1:" + forward.port());
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                assertEquals(200, get(proxy).statusCode());
                assertEquals(1, forward.seen().size());
            }
        }
    }

    @Test
    void anUpstreamSignedByThePrivateCaIsTrusted() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.startTls())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            config.put("UPSTREAM_CA_FILE", TestCertificates.get().caPem().toString());
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpResponse<String> response = get(proxy);

                assertEquals(200, response.statusCode(), response.body());
                assertEquals("{\"ok\":true}", response.body());
            }
        }
    }

    @Test
    void anUpstreamCertificateNobodyTrustsIsA502NeverASilentTrustAll() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.startTls())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpResponse<String> response = get(proxy);

                OpenAiErrorAssertions.assertOpenAiError(502, "upstream_unreachable", response.statusCode(),
                    response.headers().firstValue("content-type").orElse(""), response.body());
                assertTrue(response.body().contains("TLS handshake"), response.body());
                assertTrue(upstream.drainRequests().isEmpty());
            }
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception
    {
        try (FakeUpstream upstream = FakeUpstream.startTls())
        {
            Map<String, String> config = TestConfig.against(upstream, logs.resolve("proxy.log"));
            // The certificate names 127.0.0.1 only; the base URL names the same host as localhost.
            config.put("LITELLM_BASE_URL", "https://localhost:" + upstream.port() + "/v1");
            config.put("UPSTREAM_CA_FILE", TestCertificates.get().caPem().toString());
            try (EmbeddedProxy proxy = EmbeddedProxy.start(config))
            {
                HttpResponse<String> response = get(proxy);

                assertEquals(502, response.statusCode(), response.body());
                assertTrue(response.body().contains("TLS handshake"), response.body());
            }
        }
    }
}
