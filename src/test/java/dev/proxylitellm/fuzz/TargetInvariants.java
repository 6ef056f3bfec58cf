package dev.proxylitellm.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.proxylitellm.target.InvalidTargetException;
import dev.proxylitellm.target.QueryRewriter;
import dev.proxylitellm.target.TargetRewriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What must hold for any path and query a client sends: either the proxy refuses it with a 400,
 * or the upstream URL it builds parses, stays on the upstream's host and under its base path once
 * normalised, keeps the client's query apart from every app_id, and ends with the configured one.
 */
final class TargetInvariants
{
    static final String APP_ID = "org app/7";
    static final URI BASE = URI.create("https://llm.internal.example:8443/v1");
    static final TargetRewriter REWRITER = new TargetRewriter(BASE, APP_ID);
    private static final String APP_ID_PARAMETER = "app_id=" + java.net.URLEncoder.encode(APP_ID, StandardCharsets.UTF_8);

    private TargetInvariants()
    {
    }

    /** Decodes valid escapes and keeps any other '%', as a lenient upstream would. */
    private static String lenientlyDecoded(String text)
    {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0)
            {
                out.append((char)Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            }
            else
            {
                out.append(c);
            }
        }
        return out.toString();
    }

    static void check(String rawPath, String rawQuery)
    {
        String target;
        try
        {
            target = REWRITER.rewrite(rawPath, rawQuery);
        }
        catch (InvalidTargetException refused)
        {
            assertEquals(400, refused.error().status());
            return;
        }
        URI uri = URI.create(target);
        assertEquals(BASE.getScheme(), uri.getScheme());
        assertEquals(BASE.getHost(), uri.getHost());
        assertEquals(BASE.getPort(), uri.getPort());
        assertEquals(rawPath.isEmpty() ? "/v1" : "/v1" + rawPath, uri.getRawPath(), "the path was changed");
        String normalized = uri.normalize().getRawPath();
        assertTrue(normalized.equals("/v1") || normalized.startsWith("/v1/"), "escapes the base path: " + target);
        assertEquals(uri.getRawPath(), normalized, "dot segments survived: " + target);
        String decoded = uri.getRawPath();
        for (int round = 0; round < 3; round++)
        {
            decoded = lenientlyDecoded(decoded);
            for (String segment : decoded.split("[/\\\\]", -1))
            {
                String name = segment.contains(";") ? segment.substring(0, segment.indexOf(';')) : segment;
                assertFalse(name.equals(".."), "a dot segment after decoding: " + target);
            }
            if (!decoded.contains("%"))
                break;
        }
        String query = uri.getRawQuery();
        assertTrue(query.equals(APP_ID_PARAMETER) || query.endsWith("&" + APP_ID_PARAMETER), "app_id is not last: " + target);
        String clientPart = query.equals(APP_ID_PARAMETER) ? "" : query.substring(0, query.length() - APP_ID_PARAMETER.length() - 1);
        assertEquals(clientPart, QueryRewriter.withoutAppId(clientPart), "a client app_id survived: " + target);
        assertFalse(clientPart.toLowerCase(Locale.ROOT).matches("(^|.*[&;])app[_.+ ]id=.*"), "a client app_id survived: " + target);
    }
}
