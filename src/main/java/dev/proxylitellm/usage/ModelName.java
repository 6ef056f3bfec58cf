package dev.proxylitellm.usage;

/**
 * Makes an upstream-provided model name safe for a log line and a metric label: at most 128
 * characters of {@code [A-Za-z0-9._:/@+-]}, anything else replaced by {@code _}.
 */
public final class ModelName
{
    static final int MAX_LENGTH = 128;

    private ModelName()
    {
    }

    public static String clean(String name)
    {
        int length = Math.min(name.length(), MAX_LENGTH);
        StringBuilder clean = null;
        for (int i = 0; i < length; i++)
        {
            char c = name.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ".:/@+_-".indexOf(c) >= 0;
            if (!safe && clean == null)
                clean = new StringBuilder(length).append(name, 0, i);
            if (clean != null)
                clean.append(safe ? c : '_');
        }
        if (clean != null)
            return clean.toString();
        return length == name.length() ? name : name.substring(0, length);
    }
}
