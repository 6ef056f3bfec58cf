package dev.proxylitellm.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One place configuration values can come from (system properties, the environment, a
 * {@code .env} file, servlet context parameters). {@link ConfigLoader} asks a list of them in
 * order of precedence; the first non-blank value wins.
 */
public interface ConfigSource
{
    /** A short name for messages, such as "environment". */
    String name();

    /** The raw value of {@code key}, if this source has one. */
    Optional<String> get(String key);

    static ConfigSource of(String name, Function<String, String> lookup)
    {
        return new ConfigSource()
        {
            @Override
            public String name()
            {
                return name;
            }

            @Override
            public Optional<String> get(String key)
            {
                return Optional.ofNullable(lookup.apply(key));
            }
        };
    }

    static ConfigSource ofMap(String name, Map<String, String> values)
    {
        Map<String, String> copy = Map.copyOf(values);
        return of(name, copy::get);
    }

    static ConfigSource systemProperties()
    {
        return of("JVM system properties", System::getProperty);
    }

    static ConfigSource environment()
    {
        return ofMap("environment variables", System.getenv());
    }
}
