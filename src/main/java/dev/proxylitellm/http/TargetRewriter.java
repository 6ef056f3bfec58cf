package dev.proxylitellm.http;

import dev.proxylitellm.errors.OpenAiError;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Maps the part of a client's request target after {@code /v1} onto the upstream base URL. Path
 * and query stay in their raw encoded form; the client's {@code app_id} parameters are removed
 * and the configured one appended. Targets that could escape the base path upstream (dot
 * segments in any encoding, backslashes, control characters, malformed escapes) are refused.
 */
public final class TargetRewriter
{
    private static final int DECODE_ROUNDS = 3;
    private static final boolean[] PATH_CHARS = allowed("/");
    private static final boolean[] QUERY_CHARS = allowed("/?[]");

    private final String base;
    private final String appIdParameter;

    public TargetRewriter(URI baseUrl, String appId)
    {
        String url = baseUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.appIdParameter = QueryRewriter.APP_ID + "=" + URLEncoder.encode(appId, StandardCharsets.UTF_8);
    }

    /**
     * @param rawPath the raw path after {@code /v1}: empty or starting with {@code /}
     * @param rawQuery the raw query string, or null
     * @return the absolute upstream URL
     * @throws InvalidTargetException if the target must not be forwarded
     */
    public String rewrite(String rawPath, String rawQuery) throws InvalidTargetException
    {
        checkPath(rawPath);
        checkQuery(rawQuery);
        String query = QueryRewriter.withoutAppId(rawQuery);
        StringBuilder target = new StringBuilder(base.length() + rawPath.length() + query.length() + appIdParameter.length() + 2)
            .append(base).append(rawPath).append('?');
        if (!query.isEmpty())
            target.append(query).append('&');
        return target.append(appIdParameter).toString();
    }

    private static void checkPath(String rawPath) throws InvalidTargetException
    {
        if (rawPath.isEmpty())
            return;
        if (rawPath.charAt(0) != '/')
            throw new InvalidTargetException(OpenAiError.invalidPath("The request path must start with /v1/."));
        if (!allChars(rawPath, PATH_CHARS))
            throw new InvalidTargetException(OpenAiError.invalidPath("The request path contains characters that must be percent-encoded."));
        if (!PercentEncoding.isWellFormed(rawPath))
            throw new InvalidTargetException(OpenAiError.invalidPath("The request path is not valid percent-encoding."));
        String[] segments = rawPath.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++)
        {
            if (segments[i].isEmpty() && i < segments.length - 1)
                throw new InvalidTargetException(OpenAiError.invalidPath("The request path contains an empty segment (//)."));
            checkSegment(segments[i]);
        }
    }

    /** Decodes a few times over, so that an upstream which decodes twice cannot be led outside the base path either. */
    private static void checkSegment(String rawSegment) throws InvalidTargetException
    {
        String segment = rawSegment;
        for (int round = 0; round < DECODE_ROUNDS; round++)
        {
            String decoded = PercentEncoding.decode(segment, false);
            for (int i = 0; i < decoded.length(); i++)
            {
                char c = decoded.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '\\')
                    throw new InvalidTargetException(OpenAiError.invalidPath("The request path contains a backslash or a control character."));
            }
            for (String part : decoded.split("/", -1))
            {
                int parameters = part.indexOf(';');
                String name = parameters < 0 ? part : part.substring(0, parameters);
                if (name.equals(".") || name.equals(".."))
                    throw new InvalidTargetException(OpenAiError.invalidPath("The request path must not contain . or .. segments."));
            }
            if (decoded.equals(segment))
                return;
            segment = decoded;
        }
    }

    private static void checkQuery(String rawQuery) throws InvalidTargetException
    {
        if (rawQuery == null)
            return;
        if (!allChars(rawQuery, QUERY_CHARS))
            throw new InvalidTargetException(OpenAiError.invalidQuery("The query string contains characters that must be percent-encoded."));
        if (!PercentEncoding.isWellFormed(rawQuery))
            throw new InvalidTargetException(OpenAiError.invalidQuery("The query string is not valid percent-encoding."));
    }

    private static boolean allChars(String text, boolean[] allowed)
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
    private static boolean[] allowed(String extra)
    {
        boolean[] table = new boolean[128];
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@%" + extra;
        for (int i = 0; i < chars.length(); i++)
            table[chars.charAt(i)] = true;
        return table;
    }
}
