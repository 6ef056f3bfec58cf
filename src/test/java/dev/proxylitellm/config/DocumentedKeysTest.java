package dev.proxylitellm.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every configuration key is documented where users look: .env.example and the README's table. */
class DocumentedKeysTest
{
    @Test
    void everyKeyIsInDotEnvExampleAndTheReadme() throws Exception
    {
        String example = Files.readString(Path.of(".env.example"));
        String readme = Files.readString(Path.of("README.md"));
        for (ConfigKey key : ConfigKey.values())
        {
            assertTrue(example.contains(key.name() + "="), key + " is missing from .env.example");
            assertTrue(readme.contains("`" + key.name() + "`"), key + " is missing from the README's configuration table");
        }
    }
}
