package dev.proxylitellm.realtime;

import java.nio.charset.StandardCharsets;

/** Which WebSocket close codes may be sent on, and close reasons cut to what a close frame holds. */
final class CloseCodes
{
    /** A close frame carries at most 125 bytes: two for the code, 123 for the reason. */
    private static final int MAX_REASON_BYTES = 123;

    private CloseCodes()
    {
    }

    /**
     * {@code code} when a peer may send it, else {@code fallback}: 1005, 1006 and 1015 only
     * describe what happened locally, and codes outside 1000–4999 are invalid on the wire.
     */
    static int sendable(int code, int fallback)
    {
        boolean reserved = code == 1004 || code == 1005 || code == 1006 || code == 1015;
        boolean valid = (code >= 1000 && code <= 1014) || (code >= 3000 && code <= 4999);
        return valid && !reserved ? code : fallback;
    }

    static String reason(String reason)
    {
        if (reason == null)
            return "";
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES)
            return reason;
        int end = reason.length();
        while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES)
            end--;
        return reason.substring(0, end);
    }
}
