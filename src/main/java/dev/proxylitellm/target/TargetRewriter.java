package dev.proxylitellm.target;

import dev.proxylitellm.errors.OpenAiError;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Maps the part of a client's request target after {@code /v1} onto the upstream base URL. Path
 * and query stay in their raw encoded form; the client's {@code app_id} parameters are removed
 * and the configured one appended. Paths are checked by {@link PathCheck}; queries must be
 * well-formed percent-encoding of legal characters.
 */
public final class TargetRewriter
{
    private static final boolean[] QUERY_CHARS = PercentEncoding.legalChars("/?[]");

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
        PathCheck.check(rawPath);
        checkQuery(rawQuery);
        String query = QueryRewriter.withoutAppId(rawQuery);
        StringBuilder target = new StringBuilder(base.length() + rawPath.length() + query.length() + appIdParameter.length() + 2)
            .append(base).append(rawPath).append('?');
        if (!query.isEmpty())
            target.append(query).append('&');
        return target.append(appIdParameter).toString();
    }

    private static void checkQuery(String rawQuery) throws InvalidTargetException
    {
        if (rawQuery == null)
            return;
        if (!PercentEncoding.onlyLegal(rawQuery, QUERY_CHARS))
            throw new InvalidTargetException(OpenAiError.invalidQuery("The query string contains characters that must be percent-encoded."));
        if (!PercentEncoding.isWellFormed(rawQuery))
            throw new InvalidTargetException(OpenAiError.invalidQuery("The query string is not valid percent-encoding."));
    }
}
