package dev.proxylitellm.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds settings that look like a misspelt {@link ConfigKey} — {@code DS_KYE} for {@code DS_KEY}:
 * a name that is not a key and is within two edits of one of its own family (same first word,
 * case aside), or one edit of any. A typo would otherwise be ignored silently, and the key it meant left at its default.
 * Only names are reported, never values.
 */
final class MisspeltKeys
{
    private static final int MAX_EDITS = 2;
    private static final Set<String> KNOWN = known();

    private MisspeltKeys()
    {
    }

    /** One warning per misspelt name found in {@code sources}, in name order. */
    static List<String> find(List<ConfigSource> sources)
    {
        Set<String> names = new TreeSet<>();
        for (ConfigSource source : sources)
            names.addAll(source.keys());
        List<String> warnings = new ArrayList<>();
        for (String name : names)
        {
            String meant = closestKey(name);
            if (meant != null)
                warnings.add(name + " is not a setting; did you mean " + meant + "?");
        }
        return warnings;
    }

    /** The key {@code name} most likely meant, or null if it is a key or resembles none. */
    static String closestKey(String name)
    {
        if (KNOWN.contains(name))
            return null;
        String upper = name.toUpperCase(Locale.ROOT);
        String best = null;
        int bestDistance = MAX_EDITS + 1;
        for (ConfigKey key : ConfigKey.values())
        {
            String candidate = key.name();
            int distance = distance(upper, candidate);
            // Two edits only within a key's own family (DS_, LOG_ …); across families, one.
            if (distance > 1 && !firstWord(candidate).equals(firstWord(upper)))
                continue;
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static String firstWord(String name)
    {
        int underscore = name.indexOf('_');
        return underscore < 0 ? name : name.substring(0, underscore);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
            previous[j] = j;
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Set<String> known()
    {
        Set<String> known = new TreeSet<>();
        for (ConfigKey key : ConfigKey.values())
            known.addAll(key.names());
        return Set.copyOf(known);
    }
}
