package dev.proxylitellm.realtime;

import dev.proxylitellm.errors.OpenAiError;

/** Upstream did not open the realtime session: what the client's handshake is answered with. */
final class UpstreamRefusal extends Exception
{
    private final transient OpenAiError error;

    UpstreamRefusal(OpenAiError error)
    {
        super(error.message(), null, false, false);
        this.error = error;
    }

    OpenAiError error()
    {
        return error;
    }
}
