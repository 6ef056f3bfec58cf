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
 * A client is known by the name its line in the key file gives it (metrics, logs, the attribution
 * header upstream), else by a digest prefix; never by its key.
 */
public final class ClientKeys
{
    public static final ClientKeys NONE = new ClientKeys(List.of());

    /** What a client's name may be: it goes into metrics labels, log lines and a header. */
    static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** One key: its digest, and the client's name (null for none). */
    record Entry(byte[] digest, String name)
    {
    }

    private final List<Entry> fixed;
    private final KeyFile file;
    private volatile List<Entry> entries;

    ClientKeys(List<Entry> entries)
    {
        this(entries, List.of(), null);
    }

    /**
     * @param fixed keys that never change (PROXY_API_KEYS)
     * @param fromFile the key file's entries as read at start
     * @param file the key file, watched for changes; null for none
     */
    ClientKeys(List<Entry> fixed, List<Entry> fromFile, KeyFile file)
    {
        this.fixed = List.copyOf(fixed);
        this.file = file;
        this.entries = concat(this.fixed, fromFile);
    }

    private static List<Entry> concat(List<Entry> first, List<Entry> second)
    {
        List<Entry> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /** The keys in force now: the key file's latest valid version is taken up here. */
    private List<Entry> entries()
    {
        if (file != null)
        {
            List<Entry> changed = file.changedEntries();
            if (changed != null)
                entries = concat(fixed, changed);
        }
        return entries;
    }

    /** Whether there is no access control: no keys, and no key file that could bring some. */
    public boolean isEmpty()
    {
        return file == null && entries.isEmpty();
    }

    public int size()
    {
        return entries().size();
    }

    /** The name of the client holding {@code key} (or {@code sha256:} and 8 hex digits), if the key is known. */
    public Optional<String> identify(String key)
    {
        byte[] presented = sha256(key);
        Entry match = null;
        for (Entry entry : entries())
        {
            // No early exit: every digest is compared whatever the outcome.
            if (MessageDigest.isEqual(entry.digest(), presented))
                match = entry;
        }
        if (match == null)
            return Optional.empty();
        return Optional.of(match.name() != null ? match.name() : identity(match.digest()));
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
