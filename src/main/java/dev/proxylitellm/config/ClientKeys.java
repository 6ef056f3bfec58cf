package dev.proxylitellm.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The keys clients must present, held only as SHA-256 digests. A presented key is hashed and
 * compared with every digest in constant time, so neither timing nor memory gives a key away.
 * A client is identified in logs by a digest prefix, never by its key.
 */
public final class ClientKeys
{
    public static final ClientKeys NONE = new ClientKeys(List.of());

    private final List<byte[]> digests;

    ClientKeys(List<byte[]> digests)
    {
        this.digests = List.copyOf(digests);
    }

    public boolean isEmpty()
    {
        return digests.isEmpty();
    }

    public int size()
    {
        return digests.size();
    }

    /** The identity of the client holding {@code key} ({@code sha256:} and 8 hex digits), if the key is known. */
    public Optional<String> identify(String key)
    {
        byte[] presented = sha256(key);
        byte[] match = null;
        for (byte[] digest : digests)
        {
            // No early exit: every digest is compared whatever the outcome.
            if (MessageDigest.isEqual(digest, presented))
                match = digest;
        }
        return match == null ? Optional.empty() : Optional.of(identity(match));
    }

    static byte[] sha256(String key)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException x)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", x);
        }
    }

    private static String identity(byte[] digest)
    {
        return "sha256:" + HexFormat.of().formatHex(digest, 0, 4);
    }
}
