package dev.proxylitellm.metrics;

import java.util.Set;

/**
 * The OpenAI endpoint family a request path belongs to, such as {@code chat/completions},
 * {@code embeddings} or {@code files}: a metric label with a fixed, small set of values. Ids in
 * paths ({@code files/file-abc/content}) fold into their family; anything unknown is
 * {@code other}, so a caller cannot create new series by inventing paths.
 */
public final class RouteFamily
{
    public static final String OTHER = "other";

    /** Families named by their first path segment. */
    private static final Set<String> SINGLE = Set.of(
        "completions", "embeddings", "models", "responses", "moderations", "files", "uploads", "batches",
        "fine_tuning", "assistants", "threads", "vector_stores", "rerank", "realtime", "messages",
        "conversations", "containers", "evals");
    /** Families named by their first two segments. */
    private static final Set<String> DOUBLE = Set.of(
        "chat/completions", "audio/speech", "audio/transcriptions", "audio/translations",
        "images/generations", "images/edits", "images/variations");
    /** Families whose calls report token usage, where a missing usage is worth counting. */
    private static final Set<String> TOKEN_BEARING = Set.of("chat/completions", "completions", "embeddings", "responses", "messages");

    private RouteFamily()
    {
    }

    /** @param path the request path after {@code /v1}, such as {@code /chat/completions} */
    public static String of(String path)
    {
        if (path == null || path.length() < 2 || path.charAt(0) != '/')
            return OTHER;
        int first = path.indexOf('/', 1);
        String head = first < 0 ? path.substring(1) : path.substring(1, first);
        if (SINGLE.contains(head))
            return head;
        if (first < 0)
            return OTHER;
        int second = path.indexOf('/', first + 1);
        String two = second < 0 ? path.substring(1) : path.substring(1, second);
        return DOUBLE.contains(two) ? two : OTHER;
    }

    /** Whether calls of {@code family} report token usage when they succeed. */
    public static boolean reportsTokens(String family)
    {
        return TOKEN_BEARING.contains(family);
    }
}
