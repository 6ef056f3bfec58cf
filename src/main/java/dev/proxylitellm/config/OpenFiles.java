package dev.proxylitellm.config;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process's open-file limit, which bounds how many streams one instance can carry: each
 * proxied stream holds a client socket and an upstream socket. Read once, at start.
 */
final class OpenFiles
{
    /** What is assumed where the JVM cannot tell (not a Unix-like system). */
    static final long UNKNOWN_LIMIT = 8192;

    private OpenFiles()
    {
    }

    static long limit()
    {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0)
            return unix.getMaxFileDescriptorCount();
        return UNKNOWN_LIMIT;
    }

    /**
     * Upstream connections such that the open-file limit, not the pool, bounds concurrent streams:
     * half the limit (a client and an upstream socket per stream), at least 4,096.
     */
    static int upstreamConnections(long openFileLimit)
    {
        return (int)Math.min(Integer.MAX_VALUE, Math.max(4096, openFileLimit / 2));
    }
}
