package dev.proxylitellm.config;

import java.util.List;

/**
 * Thrown when the configuration is incomplete or invalid. Its message names every offending key
 * and where keys can be set, and never contains a configured value.
 */
public class ConfigException extends RuntimeException
{
    private final List<String> problems;

    public ConfigException(List<String> problems, List<String> sourceNames)
    {
        super("proxy-litellm configuration is incomplete or invalid: " + String.join("; ", problems)
            + ". Set keys as " + String.join(", ", sourceNames) + " (highest precedence first); see .env.example.");
        this.problems = List.copyOf(problems);
    }

    /** One entry per offending key, each starting with the key's name. */
    public List<String> problems()
    {
        return problems;
    }
}
