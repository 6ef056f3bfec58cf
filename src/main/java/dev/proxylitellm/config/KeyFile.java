package dev.proxylitellm.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PROXY_API_KEYS_FILE}, watched: looked at no more than once every {@link #CHECK_INTERVAL_MS}
 * ms, from a request's thread (one at a time, the others keep the keys they have), and read again
 * when its size or modification time changed, so keys can be rotated without a redeployment. A
 * version with a bad line leaves the previous keys in force and is reported once, naming the line.
 */
final class KeyFile
{
    static final long CHECK_INTERVAL_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(ClientKeys.class);

    private final Path path;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile long nextCheckNanos;
    private Object seenVersion;

    private KeyFile(Path path, Object version)
    {
        this.path = path;
        this.seenVersion = version;
        this.nextCheckNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS);
    }

    /** Reads the file once, at start: its entries, or problems (the start then fails). */
    static KeyFile read(Path path, List<ClientKeys.Entry> into, List<String> problems) throws IOException
    {
        Object version = version(path);
        into.addAll(ConfigLoader.keyFileEntries(Files.readAllLines(path), problems));
        return new KeyFile(path, version);
    }

    /** The file's entries if it changed since last seen and is valid now, else null. */
    List<ClientKeys.Entry> changedEntries()
    {
        if (System.nanoTime() < nextCheckNanos || !checking.tryLock())
            return null;
        try
        {
            nextCheckNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS);
            Object version = version(path);
            if (version.equals(seenVersion))
                return null;
            seenVersion = version;
            List<String> problems = new ArrayList<>();
            List<ClientKeys.Entry> entries = ConfigLoader.keyFileEntries(Files.readAllLines(path), problems);
            if (!problems.isEmpty())
            {
                LOG.error("{} changed but is not valid, the previous keys stay in force: {}", ConfigKey.PROXY_API_KEYS_FILE,
                    String.join("; ", problems));
                return null;
            }
            LOG.info("{} read again: {} keys", ConfigKey.PROXY_API_KEYS_FILE, entries.size());
            return entries;
        }
        catch (IOException | RuntimeException x)
        {
            LOG.error("{} cannot be read, the previous keys stay in force", ConfigKey.PROXY_API_KEYS_FILE);
            return null;
        }
        finally
        {
            checking.unlock();
        }
    }

    private static Object version(Path path) throws IOException
    {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return List.of(attributes.lastModifiedTime(), attributes.size(), String.valueOf(attributes.fileKey()));
    }
}
