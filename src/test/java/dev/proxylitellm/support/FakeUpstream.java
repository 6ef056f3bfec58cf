package dev.proxylitellm.support;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real HTTP server on a free loopback port standing in for LiteLLM: it records every request
 * it receives (raw target, headers, body) and answers as the current {@link Script} says, which
 * can stream, delay, fail, gzip or reset. It accepts any URI, so tests see exactly what the proxy
 * forwarded.
 */
public final class FakeUpstream implements AutoCloseable
{
    /** A request as upstream received it. */
    public record RecordedRequest(String method, String target, HttpFields headers, byte[] body, String protocol)
    {
        public String path()
        {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        public String query()
        {
            int query = target.indexOf('?');
            return query < 0 ? null : target.substring(query + 1);
        }

        public String header(String name)
        {
            return headers.get(name);
        }

        public String bodyText()
        {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** How upstream answers one request; it runs on its own thread and may block. */
    @FunctionalInterface
    public interface Script
    {
        void respond(RecordedRequest request, Exchange exchange) throws Exception;
    }

    /** Upstream's side of one response, with blocking writes. */
    public static final class Exchange
    {
        private final Request request;
        private final Response response;

        Exchange(Request request, Response response)
        {
            this.request = request;
            this.response = response;
        }

        public Exchange status(int status)
        {
            response.setStatus(status);
            return this;
        }

        public Exchange header(String name, String value)
        {
            response.getHeaders().add(name, value);
            return this;
        }

        /** Writes and sends {@code bytes} at once (headers first, if not yet sent). */
        public void write(byte[] bytes) throws IOException
        {
            Content.Sink.write(response, false, ByteBuffer.wrap(bytes));
        }

        public void write(String text) throws IOException
        {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Closes the TCP connection abruptly, wherever the response is. */
        public void reset()
        {
            request.getConnectionMetaData().getConnection().getEndPoint().close();
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> scriptFailures = new LinkedBlockingQueue<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private volatile Script script = Scripts.json(200, "{\"ok\":true}");
    private volatile boolean recording = true;

    private final boolean secure;

    private FakeUpstream() throws Exception
    {
        this(null, false);
    }

    /**
     * @param keyStore a PKCS12 key store to serve https with, or null for plain http
     * @param http2 whether to offer HTTP/2 through ALPN (with https only)
     */
    private FakeUpstream(java.nio.file.Path keyStore, boolean http2) throws Exception
    {
        this.secure = keyStore != null;
        QueuedThreadPool threads = new QueuedThreadPool(2200, 8);
        threads.setName("fake-upstream");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setSendServerVersion(false);
        if (keyStore == null)
        {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        else
        {
            org.eclipse.jetty.util.ssl.SslContextFactory.Server tls = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
            tls.setKeyStorePath(keyStore.toString());
            tls.setKeyStorePassword(TestCertificates.PASSWORD);
            tls.setKeyStoreType("PKCS12");
            http.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
            HttpConnectionFactory http11 = new HttpConnectionFactory(http);
            if (http2)
            {
                org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory h2 = new org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory(http);
                org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory alpn = new org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory("h2", "http/1.1");
                alpn.setDefaultProtocol("http/1.1");
                connector = new ServerConnector(server, new org.eclipse.jetty.server.SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http11);
            }
            else
            {
                connector = new ServerConnector(server, new org.eclipse.jetty.server.SslConnectionFactory(tls, "http/1.1"), http11);
            }
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(4096);
        connector.addBean(new Connection.Listener()
        {
            @Override
            public void onOpened(Connection connection)
            {
                openConnections.incrementAndGet();
            }

            @Override
            public void onClosed(Connection connection)
            {
                openConnections.decrementAndGet();
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                try
                {
                    ByteBuffer content = Content.Source.asByteBuffer(request);
                    byte[] body = new byte[content.remaining()];
                    content.get(body);
                    RecordedRequest recorded = new RecordedRequest(request.getMethod(),
                        request.getHttpURI().getPathQuery(), HttpFields.build(request.getHeaders()).asImmutable(), body,
                        request.getConnectionMetaData().getProtocol());
                    if (recording)
                        requests.add(recorded);
                    script.respond(recorded, new Exchange(request, response));
                    callback.succeeded();
                }
                catch (Throwable x)
                {
                    if (recording)
                        scriptFailures.add(x);
                    callback.failed(x);
                }
                return true;
            }
        });
        server.start();
    }

    public static FakeUpstream start()
    {
        try
        {
            return new FakeUpstream();
        }
        catch (Exception x)
        {
            throw new IllegalStateException("fake upstream did not start", x);
        }
    }

    /** An https upstream whose certificate the test CA signed. */
    public static FakeUpstream startTls()
    {
        return startTls(false);
    }

    /** An https upstream that also offers HTTP/2 through ALPN when {@code http2}. */
    public static FakeUpstream startTls(boolean http2)
    {
        try
        {
            return new FakeUpstream(TestCertificates.get().serverKeyStore(), http2);
        }
        catch (Exception x)
        {
            throw new IllegalStateException("fake https upstream did not start", x);
        }
    }

    public int port()
    {
        return connector.getLocalPort();
    }

    /** The URL to configure as {@code LITELLM_BASE_URL}. */
    public URI baseUrl()
    {
        return URI.create((secure ? "https" : "http") + "://127.0.0.1:" + port() + "/v1");
    }

    /** Stops keeping what arrives, for long runs that would otherwise hold every request in memory. */
    public void stopRecording()
    {
        recording = false;
        requests.clear();
        scriptFailures.clear();
    }

    public void script(Script script)
    {
        this.script = script;
    }

    /** The next request upstream received, waiting up to ten seconds for it. */
    public RecordedRequest takeRequest()
    {
        try
        {
            RecordedRequest request = requests.poll(10, TimeUnit.SECONDS);
            if (request == null)
                throw new AssertionError("upstream received no request within 10 s");
            return request;
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(x);
        }
    }

    /** Every request received and not yet taken. */
    public List<RecordedRequest> drainRequests()
    {
        List<RecordedRequest> all = new ArrayList<>();
        requests.drainTo(all);
        return all;
    }

    /** The next failure a script hit (for instance a write to a proxy that went away). */
    public Throwable awaitScriptFailure(Duration timeout) throws InterruptedException
    {
        return scriptFailures.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int openConnections()
    {
        return openConnections.get();
    }

    @Override
    public void close() throws Exception
    {
        server.stop();
    }
}
