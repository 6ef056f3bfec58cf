package dev.proxylitellm.target;

import java.util.Locale;

/**
 * Removes every parameter a client could use to choose {@code app_id} from a raw query string,
 * keeping the others byte for byte and in order (repeated keys included). A name counts as
 * {@code app_id} however a server might read it: percent-encoded, in any case, with a {@code []}
 * suffix, with {@code .} or space for {@code _}, or hidden behind a {@code ;} separator.
 */
public final class QueryRewriter
{
    static final String APP_ID = "app_id";
    private static final int DECODE_ROUNDS = 3;

    private QueryRewriter()
    {
    }

    /** The raw query without {@code app_id} parameters; empty if nothing is left. */
    public static String withoutAppId(String rawQuery)
    {
        if (rawQuery == null || rawQuery.isEmpty())
            return "";
        StringBuilder kept = new StringBuilder(rawQuery.length());
        int start = 0;
        while (start <= rawQuery.length())
        {
            int end = rawQuery.indexOf('&', start);
            if (end < 0)
                end = rawQuery.length();
            String parameter = rawQuery.substring(start, end);
            if (!parameter.isEmpty() && !namesAppId(parameter))
            {
                if (kept.length() > 0)
                    kept.append('&');
                kept.append(parameter);
            }
            start = end + 1;
        }
        return kept.toString();
    }

    static boolean namesAppId(String parameter)
    {
        for (String part : parameter.split(";", -1))
        {
            int equals = part.indexOf('=');
            String name = equals < 0 ? part : part.substring(0, equals);
            for (int round = 0; round < DECODE_ROUNDS; round++)
            {
                if (normalize(name).equals(APP_ID))
                    return true;
                String decoded = PercentEncoding.decode(name, true);
                if (decoded.equals(name))
                    break;
                name = decoded;
            }
        }
        return false;
    }

    private static String normalize(String name)
    {
        String normalized = name.trim().toLowerCase(Locale.ROOT).replace('.', '_').replace(' ', '_');
        int bracket = normalized.indexOf('[');
        return bracket < 0 ? normalized : normalized.substring(0, bracket);
    }
}
