package dev.proxylitellm.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

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

    /** Every key this source holds, to spot misspelt settings; empty where it cannot tell. */
    default Set<String> keys()
    {
        return Set.of();
    }

    static ConfigSource of(String name, Function<String, String> lookup)
    {
        return of(name, lookup, Set::of);
    }

    static ConfigSource of(String name, Function<String, String> lookup, Supplier<Set<String>> keys)
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

            @Override
            public Set<String> keys()
            {
                return keys.get();
            }
        };
    }

    static ConfigSource ofMap(String name, Map<String, String> values)
    {
        Map<String, String> copy = Map.copyOf(values);
        return of(name, copy::get, copy::keySet);
    }

    static ConfigSource systemProperties()
    {
        return of("JVM system properties", System::getProperty, () -> System.getProperties().stringPropertyNames());
    }

    static ConfigSource environment()
    {
        return ofMap("environment variables", System.getenv());
    }
}
