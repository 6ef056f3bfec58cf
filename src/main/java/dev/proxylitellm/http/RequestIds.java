package dev.proxylitellm.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: the client's {@code X-Request-Id} when it is a sane token (at most 128 characters
 * of {@code [A-Za-z0-9._-]}), else 32 random hex digits. Ids correlate log lines, not secure
 * anything, so a fast non-cryptographic generator is enough.
 */
public final class RequestIds
{
    public static final String HEADER = "X-Request-Id";
    /** Upstream's own, different request id is passed to the client under this name. */
    public static final String UPSTREAM_HEADER = "X-Upstream-Request-Id";
    public static final String ATTRIBUTE = RequestIds.class.getName();
    static final int MAX_LENGTH = 128;
    private static final HexFormat HEX = HexFormat.of();

    private RequestIds()
    {
    }

    /** The id of a request that came with {@code header} (null when it had none). */
    public static String choose(String header)
    {
        return isSane(header) ? header : generate();
    }

    static boolean isSane(String id)
    {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH)
            return false;
        for (int i = 0; i < id.length(); i++)
        {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
                return false;
        }
        return true;
    }

    static String generate()
    {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }
}
