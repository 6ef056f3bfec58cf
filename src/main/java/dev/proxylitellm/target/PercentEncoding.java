package dev.proxylitellm.target;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Character rules and percent-decoding for inspection only: the proxy forwards targets in their
 * raw form and decodes just to check what an upstream that decodes would see.
 */
final class PercentEncoding
{
    private PercentEncoding()
    {
    }

    /** Whether every {@code %} in {@code raw} starts a two-digit hex escape. */
    static boolean isWellFormed(String raw)
    {
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1))
        {
            if (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0)
                return false;
        }
        return true;
    }

    /**
     * Decodes escapes; a {@code %} that starts no valid escape stays as it is. Bytes map to chars
     * one to one (ISO-8859-1): callers look for ASCII only, and this cannot fail on bad UTF-8.
     */
    static String decode(String raw, boolean plusIsSpace)
    {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0))
            return raw;
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++)
        {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0)
            {
                out.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                out.write(' ');
            }
            else
            {
                out.write(c > 0xff ? '?' : c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static int hex(char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    static boolean onlyLegal(String text, boolean[] allowed)
    {
        for (int i = 0; i < text.length(); i++)
        {
            char c = text.charAt(i);
            if (c >= allowed.length || !allowed[c])
                return false;
        }
        return true;
    }

    /** RFC 3986 pchar (unreserved, sub-delims, ":", "@", and "%" for escapes) plus {@code extra}. */
    static boolean[] legalChars(String extra)
    {
        boolean[] table = new boolean[128];
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@%" + extra;
        for (int i = 0; i < chars.length(); i++)
            table[chars.charAt(i)] = true;
        return table;
    }
}
