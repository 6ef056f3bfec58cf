package dev.proxylitellm.containers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The WAR unpacked into a directory, with the deployment's settings written into its
 * {@code web.xml} as {@code <context-param>} entries: how settings differ per deployment on
 * servers that have no context file of their own to set them in (WildFly, Open Liberty).
 */
final class ExplodedWar
{
    private ExplodedWar()
    {
    }

    static Path write(Path war, Path directory, Map<String, String> contextParameters) throws IOException
    {
        Files.createDirectories(directory);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(war)))
        {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry())
            {
                Path target = directory.resolve(entry.getName()).normalize();
                if (!target.startsWith(directory))
                    throw new IOException("unsafe entry " + entry.getName());
                if (entry.isDirectory())
                    Files.createDirectories(target);
                else
                {
                    Files.createDirectories(target.getParent());
                    copy(zip, target);
                }
            }
        }
        Path webXml = directory.resolve("WEB-INF/web.xml");
        StringBuilder parameters = new StringBuilder();
        contextParameters.forEach((name, value) -> parameters.append("  <context-param><param-name>")
            .append(ServletContainer.xml(name)).append("</param-name><param-value>").append(ServletContainer.xml(value))
            .append("</param-value></context-param>\n"));
        String descriptor = Files.readString(webXml);
        int afterName = descriptor.indexOf("</display-name>") + "</display-name>".length();
        Files.writeString(webXml, descriptor.substring(0, afterName) + "\n" + parameters + descriptor.substring(afterName));
        return directory;
    }

    private static void copy(InputStream in, Path target) throws IOException
    {
        Files.copy(in, target);
    }
}
