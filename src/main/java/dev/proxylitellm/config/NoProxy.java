package dev.proxylitellm.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code NO_PROXY} convention as curl and most tools read it: a comma- or space-separated list
 * of host names (matching the host and its subdomains; a leading dot is optional), IP addresses,
 * CIDR ranges, optionally with {@code :port}, or {@code *} for every host.
 */
final class NoProxy
{
    private final List<String> entries;

    private NoProxy(List<String> entries)
    {
        this.entries = entries;
    }

    static NoProxy parse(String value)
    {
        List<String> entries = new ArrayList<>();
        for (String entry : value.split("[,\\s]+"))
        {
            if (!entry.isBlank())
                entries.add(entry.trim().toLowerCase(Locale.ROOT));
        }
        return new NoProxy(entries);
    }

    boolean matches(URI target)
    {
        String host = target.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]"))
            host = host.substring(1, host.length() - 1);
        int port = target.getPort() > 0 ? target.getPort() : target.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        for (String entry : entries)
        {
            if (entry.equals("*") || matches(entry, host, port))
                return true;
        }
        return false;
    }

    private static boolean matches(String entry, String host, int port)
    {
        String pattern = entry;
        int colon = pattern.lastIndexOf(':');
        if (colon > 0 && pattern.indexOf(':') == colon && !pattern.contains("/"))
        {
            if (!pattern.substring(colon + 1).equals(String.valueOf(port)))
                return false;
            pattern = pattern.substring(0, colon);
        }
        if (pattern.contains("/"))
            return inCidr(pattern, host);
        if (pattern.startsWith("."))
            pattern = pattern.substring(1);
        return host.equals(pattern) || host.endsWith("." + pattern);
    }

    private static boolean inCidr(String cidr, String host)
    {
        try
        {
            return Cidr.parse(cidr).contains(host);
        }
        catch (IllegalArgumentException x)
        {
            return false;
        }
    }
}
