package dev.proxylitellm.realtime;

/**
 * Limits of a realtime session.
 *
 * @param idleTimeoutMs silence after which a session is closed, either side
 * @param maxMessageBytes the largest message relayed, either way; a larger one closes with 1009
 */
public record RealtimeSettings(long idleTimeoutMs, int maxMessageBytes)
{
}
