package dev.proxylitellm.logging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Removes credentials and bodies from text about to be logged. Jetty's DEBUG output dumps request
 * headers, including the credentials the proxy injects and those clients send, and the contents of
 * buffers, which hold prompts and completions; this blanks the value of every credential header,
 * wherever it appears in a line, every configured secret value, and every buffer dump.
 */
public final class SecretRedactor
{
    static final String MASK = "[REDACTED]";
    /** One byte as Jetty's {@code BufferUtil.appendDebugByte} prints it, or its "..." elision. */
    private static final String DEBUG_BYTE = "(?:\\\\\\\\|\\\\[rnt]|\\\\x[0-9a-fA-F]{2}|[\\x20-\\x7e])";
    /**
     * Jetty's {@code BufferUtil.toDetailString}: {@code ]={before<<<content>>>after}}, where
     * {@code before} and {@code after} are up to 17 stale bytes outside the buffer's window that
     * may still hold an earlier request's headers. The whole group goes.
     */
    private static final Pattern BUFFER_DUMP = Pattern.compile(
        "\\]=\\{" + DEBUG_BYTE + "{0,24}?<<<" + DEBUG_BYTE + "{0,56}>>>" + DEBUG_BYTE + "{0,24}\\}");
    private static final Pattern BUFFER_CONTENT = Pattern.compile("<<<.*?>>>", Pattern.DOTALL);
    private static final String BUFFER_MASK = "<<<[CONTENT REDACTED]>>>";

    private final List<String> secrets;
    private final Pattern headers;
    private final List<String> lowerCaseHeaderNames;

    /**
     * @param secrets values never to log, such as the configured keys
     * @param headerNames names of headers whose values are credentials
     */
    public SecretRedactor(Collection<String> secrets, Collection<String> headerNames)
    {
        List<String> values = new ArrayList<>();
        for (String secret : secrets)
        {
            if (secret != null && !secret.isBlank())
                values.add(secret);
        }
        // Longest first, so that a secret containing another is blanked whole.
        values.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(values);
        this.lowerCaseHeaderNames = headerNames.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
        String names = headerNames.stream().map(Pattern::quote).collect(Collectors.joining("|"));
        this.headers = Pattern.compile("(?i)(" + names + ")(\"?\\s*[:=]\\s*\"?)[^\\r\\n]*");
    }

    public String redact(String text)
    {
        String result = text;
        for (String secret : secrets)
        {
            if (result.contains(secret))
                result = result.replace(secret, MASK);
        }
        if (result.contains("<<<"))
        {
            result = BUFFER_DUMP.matcher(result).replaceAll("]={" + BUFFER_MASK + "}");
            result = BUFFER_CONTENT.matcher(result).replaceAll(BUFFER_MASK);
        }
        if (!mentionsAHeader(result))
            return result;
        Matcher matcher = headers.matcher(result);
        if (!matcher.find())
            return result;
        return matcher.replaceAll("$1$2" + Matcher.quoteReplacement(MASK));
    }

    /** A cheap test before the case-insensitive pattern, which would otherwise run over every line. */
    private boolean mentionsAHeader(String text)
    {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String name : lowerCaseHeaderNames)
        {
            if (lower.contains(name))
                return true;
        }
        return false;
    }
}
