package dev.proxylitellm.target;

import dev.proxylitellm.errors.OpenAiError;

/**
 * Refuses request paths that could lead an upstream outside the base path or confuse it: dot
 * segments in any encoding (also twice encoded, or hidden behind {@code ;} parameters),
 * backslashes, control characters, empty segments, illegal characters and malformed escapes.
 */
public final class PathCheck
{
    private static final int DECODE_ROUNDS = 3;
    private static final boolean[] PATH_CHARS = PercentEncoding.legalChars("/");

    private PathCheck()
    {
    }

    /**
     * @param rawPath a raw (still encoded) path: empty or starting with {@code /}
     * @throws InvalidTargetException with a 400 {@code invalid_path} error if it must not be forwarded
     */
    public static void check(String rawPath) throws InvalidTargetException
    {
        if (rawPath.isEmpty())
            return;
        if (rawPath.charAt(0) != '/')
            throw new InvalidTargetException(OpenAiError.invalidPath("The request path must start with /v1/."));
        if (!PercentEncoding.onlyLegal(rawPath, PATH_CHARS))
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
                // OpenAI-style paths have no ;parameters, and containers and upstreams treat them differently.
                if (c == ';')
                    throw new InvalidTargetException(OpenAiError.invalidPath("The request path must not contain ';' (path parameters)."));
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

}
