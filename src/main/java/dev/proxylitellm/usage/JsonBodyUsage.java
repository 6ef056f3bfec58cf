package dev.proxylitellm.usage;

import java.nio.ByteBuffer;

/** Usage from a plain JSON response body, such as a chat completion or an embedding list. */
final class JsonBodyUsage implements UsageObserver
{
    private final JsonUsageScanner scanner = new JsonUsageScanner();

    @Override
    public void observe(ByteBuffer bytes)
    {
        scanner.scan(bytes);
    }

    @Override
    public void end()
    {
        scanner.end();
    }

    @Override
    public String model()
    {
        return scanner.model();
    }

    @Override
    public TokenUsage usage()
    {
        return scanner.usage();
    }

    @Override
    public int events()
    {
        return 0;
    }
}
