package dev.proxylitellm.errors;

/**
 * An error the proxy answers itself, in the shape OpenAI clients parse:
 * {@code {"error":{"message":…,"type":…,"param":null,"code":…}}}. The SDKs pick their exception
 * class from the status and show {@code message}; messages are fixed texts, never input echoed
 * back, exception text or configuration values.
 *
 * @param status the HTTP status
 * @param type the OpenAI error type, such as {@code invalid_request_error}
 * @param code a stable machine-readable code, such as {@code upstream_unreachable}
 * @param message a sentence for the person reading the SDK's exception
 */
public record OpenAiError(int status, String type, String code, String message)
{
    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String UPSTREAM = "upstream_error";
    public static final String SERVER = "server_error";

    public static OpenAiError invalidPath(String message)
    {
        return new OpenAiError(400, INVALID_REQUEST, "invalid_path", message);
    }

    public static OpenAiError invalidQuery(String message)
    {
        return new OpenAiError(400, INVALID_REQUEST, "invalid_query", message);
    }

    public String toJson()
    {
        return "{\"error\":{\"message\":" + quote(message) + ",\"type\":" + quote(type)
            + ",\"param\":null,\"code\":" + quote(code) + "}}";
    }

    private static String quote(String text)
    {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20)
                        out.append(String.format("\\u%04x", (int)c));
                    else
                        out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
