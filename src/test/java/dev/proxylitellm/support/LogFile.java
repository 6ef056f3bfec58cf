package dev.proxylitellm.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Reads a log file the proxy writes to; an access line is written just after its response is out, so tests wait for it. */
public final class LogFile
{
    private LogFile()
    {
    }

    /** The first line of {@code log} containing {@code text}, waiting up to 10 s for it. */
    public static String awaitLine(Path log, String text) throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            if (Files.exists(log))
            {
                for (String line : Files.readAllLines(log))
                {
                    if (line.contains(text))
                        return line;
                }
            }
            if (System.nanoTime() > deadline)
                throw new AssertionError("'" + text + "' was not logged within 10 s in " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : ""));
            Thread.sleep(20);
        }
    }
}
