package dev.proxylitellm.config;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .env} file, the way the original Python proxy's users configured it. Only the
 * entries written in the file count: dotenv-java would otherwise fall back to the environment,
 * which is a source of its own with a higher precedence.
 */
public final class DotenvSource
{
    private DotenvSource()
    {
    }

    /**
     * Reads {@code file}. A missing file yields an empty source unless {@code required}, because
     * the default {@code ./.env} is optional while a file named explicitly must exist.
     */
    public static ConfigSource read(Path file, boolean required)
    {
        String name = ".env file (" + file + ")";
        if (!Files.isRegularFile(file))
        {
            if (required)
                throw new ConfigException(List.of(ConfigKey.DOTENV_FILE + " names " + file + ", which is not a readable file"),
                    List.of("JVM system properties", "environment variables"));
            return ConfigSource.ofMap(name, Map.of());
        }
        Path directory = file.toAbsolutePath().getParent();
        try
        {
            Dotenv dotenv = Dotenv.configure()
                .directory(directory.toString())
                .filename(file.getFileName().toString())
                .load();
            Map<String, String> values = new HashMap<>();
            for (DotenvEntry entry : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE))
                values.put(entry.getKey(), entry.getValue());
            return ConfigSource.ofMap(name, values);
        }
        catch (DotenvException x)
        {
            // dotenv-java's message quotes the offending line, which may hold a secret.
            throw new ConfigException(List.of(name + " has a malformed line"),
                List.of("KEY=value lines"));
        }
    }
}
