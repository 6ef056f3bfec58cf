package dev.proxylitellm.target;

import dev.proxylitellm.errors.OpenAiError;

/** A client's request target the proxy refuses to forward; carries the 400 error to answer. */
public class InvalidTargetException extends Exception
{
    private final transient OpenAiError error;

    public InvalidTargetException(OpenAiError error)
    {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public OpenAiError error()
    {
        return error;
    }
}
