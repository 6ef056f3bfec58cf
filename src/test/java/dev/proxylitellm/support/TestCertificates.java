package dev.proxylitellm.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate it signed for {@code 127.0.0.1}
 * only (so {@code localhost} does not match it), made with the JDK's keytool the first time a
 * test asks.
 */
public final class TestCertificates
{
    public static final String PASSWORD = "changeit";
    private static TestCertificates instance;

    private final Path dir;

    private TestCertificates(Path dir)
    {
        this.dir = dir;
    }

    public static synchronized TestCertificates get()
    {
        if (instance == null)
        {
            try
            {
                instance = create(Files.createTempDirectory("proxy-litellm-certs"));
            }
            catch (Exception x)
            {
                throw new IllegalStateException("cannot create test certificates", x);
            }
        }
        return instance;
    }

    /** PEM file of the CA certificate: what an operator puts in UPSTREAM_CA_FILE. */
    public Path caPem()
    {
        return dir.resolve("ca.pem");
    }

    /** PKCS12 key store with the server's key and its chain, for the fake upstream. */
    public Path serverKeyStore()
    {
        return dir.resolve("server.p12");
    }

    private static TestCertificates create(Path dir) throws Exception
    {
        String ca = dir.resolve("ca.p12").toString();
        String server = dir.resolve("server.p12").toString();
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=proxy-litellm test CA",
            "-ext", "bc:c", "-validity", "30", "-keystore", ca, "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", PASSWORD, "-file", dir.resolve("ca.pem").toString());
        keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=proxy-litellm test upstream",
            "-validity", "30", "-keystore", server, "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool(dir, "-certreq", "-alias", "server", "-keystore", server, "-storepass", PASSWORD, "-file", dir.resolve("server.csr").toString());
        keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", PASSWORD, "-validity", "30",
            "-ext", "SAN=ip:127.0.0.1", "-infile", dir.resolve("server.csr").toString(), "-outfile", dir.resolve("server.pem").toString());
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.pem").toString(), "-keystore", server, "-storepass", PASSWORD);
        keytool(dir, "-importcert", "-alias", "server", "-file", dir.resolve("server.pem").toString(), "-keystore", server, "-storepass", PASSWORD);
        return new TestCertificates(dir);
    }

    private static void keytool(Path dir, String... arguments) throws IOException, InterruptedException
    {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        List<String> command = new ArrayList<>();
        command.add(java.resolveSibling("keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
    }
}
