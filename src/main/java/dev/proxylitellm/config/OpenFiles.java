package dev.proxylitellm.config;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

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

    /**
     * Read as an attribute of the platform MBean, not through {@code com.sun.management}'s
     * interface: WildFly's module system hides that package from deployments (the WAR then failed
     * to deploy with {@code NoClassDefFoundError}).
     */
    static long limit()
    {
        try
        {
            Object limit = ManagementFactory.getPlatformMBeanServer()
                .getAttribute(new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME), "MaxFileDescriptorCount");
            if (limit instanceof Long count && count > 0)
                return count;
        }
        catch (JMException | RuntimeException notUnix)
        {
            // No such attribute on this platform: assume the usual limit below.
        }
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
