package dev.proxylitellm.upstream;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS towards upstream: the JVM's trust store, plus the CA certificates of {@code UPSTREAM_CA_FILE}
 * for an upstream signed by an internal CA, without touching the JVM's cacerts. Host name
 * verification stays on; nothing here ever trusts all.
 */
public final class UpstreamTls
{
    private UpstreamTls()
    {
    }

    public static SslContextFactory.Client sslContextFactory(List<X509Certificate> extraTrustAnchors)
    {
        SslContextFactory.Client factory = new SslContextFactory.Client();
        if (!extraTrustAnchors.isEmpty())
            factory.setSslContext(sslContext(extraTrustAnchors));
        return factory;
    }

    /** The JVM's trust plus {@code extraTrustAnchors}, for clients other than Jetty's (the realtime WebSocket). */
    public static SSLContext sslContext(List<X509Certificate> extraTrustAnchors)
    {
        try
        {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{trustManager(extraTrustAnchors)}, null);
            return context;
        }
        catch (GeneralSecurityException x)
        {
            throw new IllegalStateException("cannot set up TLS for the upstream", x);
        }
    }

    /** Trusts what the JVM trusts and what {@code extraTrustAnchors} sign (Redis over TLS takes this). */
    public static X509ExtendedTrustManager trustManager(List<X509Certificate> extraTrustAnchors)
    {
        try
        {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            for (int i = 0; i < extraTrustAnchors.size(); i++)
                anchors.setCertificateEntry("upstream-ca-" + i, extraTrustAnchors.get(i));
            return new EitherTrustManager(List.of(trustManager(anchors), trustManager((KeyStore)null)));
        }
        catch (GeneralSecurityException | java.io.IOException x)
        {
            throw new IllegalStateException("cannot set up TLS trust", x);
        }
    }

    private static X509ExtendedTrustManager trustManager(KeyStore anchors) throws GeneralSecurityException
    {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        for (TrustManager manager : factory.getTrustManagers())
        {
            if (manager instanceof X509ExtendedTrustManager extended)
                return extended;
        }
        throw new GeneralSecurityException("no X509 trust manager");
    }

    /** Trusts a server that any of its trust managers trusts (each checks the host name too). */
    private static final class EitherTrustManager extends X509ExtendedTrustManager
    {
        private final List<X509ExtendedTrustManager> managers;

        private EitherTrustManager(List<X509ExtendedTrustManager> managers)
        {
            this.managers = managers;
        }

        private interface Check
        {
            void run(X509ExtendedTrustManager manager) throws CertificateException;
        }

        private void anyTrusts(Check check) throws CertificateException
        {
            CertificateException first = null;
            for (X509ExtendedTrustManager manager : managers)
            {
                try
                {
                    check.run(manager);
                    return;
                }
                catch (CertificateException x)
                {
                    if (first == null)
                        first = x;
                }
            }
            throw first;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException
        {
            anyTrusts(manager -> manager.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException
        {
            anyTrusts(manager -> manager.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException
        {
            anyTrusts(manager -> manager.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException
        {
            throw new CertificateException("the proxy does not accept client certificates from upstream");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException
        {
            throw new CertificateException("the proxy does not accept client certificates from upstream");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException
        {
            throw new CertificateException("the proxy does not accept client certificates from upstream");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            List<X509Certificate> issuers = new ArrayList<>();
            for (X509ExtendedTrustManager manager : managers)
                issuers.addAll(List.of(manager.getAcceptedIssuers()));
            return issuers.toArray(new X509Certificate[0]);
        }
    }
}
