package dev.proxylitellm.usage;

import java.nio.ByteBuffer;

/**
 * Usage from a Server-Sent Events stream: each event's {@code data} is a JSON document, scanned
 * as its lines pass; the last event that reports usage wins (OpenAI's final chunk with
 * {@code stream_options.include_usage}, or the Responses API's {@code response.completed}), and
 * the first model named wins. Lines may end in LF, CRLF or CR, and any of them may be split
 * across pieces.
 */
final class EventStreamUsage implements UsageObserver
{
    private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};

    private enum Line
    {
        START, FIELD, SPACE, DATA, OTHER
    }

    private final JsonUsageScanner scanner = new JsonUsageScanner();
    private Line line = Line.START;
    private int fieldMatched;
    private boolean afterCarriageReturn;
    private boolean eventHasData;
    private int events;
    private String model;
    private TokenUsage usage = TokenUsage.UNKNOWN;

    @Override
    public void observe(ByteBuffer bytes)
    {
        for (int i = bytes.position(); i < bytes.limit(); i++)
            next(bytes.get(i));
    }

    private void next(byte b)
    {
        if (afterCarriageReturn)
        {
            afterCarriageReturn = false;
            if (b == '\n')
                return;
        }
        if (b == '\n' || b == '\r')
        {
            afterCarriageReturn = b == '\r';
            endLine();
            return;
        }
        switch (line)
        {
            case START, FIELD ->
            {
                if (fieldMatched < DATA.length && b == DATA[fieldMatched])
                {
                    line = Line.FIELD;
                    if (++fieldMatched == DATA.length)
                        startData();
                }
                else
                {
                    line = Line.OTHER;
                }
            }
            case SPACE ->
            {
                line = Line.DATA;
                if (b != ' ')
                    scanner.next(b);
            }
            case DATA -> scanner.next(b);
            case OTHER ->
            {
            }
        }
    }

    private void startData()
    {
        line = Line.SPACE;
        // Data lines of one event are joined with a line feed, which JSON reads as whitespace.
        if (eventHasData)
            scanner.next((byte)'\n');
        eventHasData = true;
    }

    private void endLine()
    {
        if (line == Line.START)
            dispatch();
        line = Line.START;
        fieldMatched = 0;
    }

    /** A blank line ends an event. */
    private void dispatch()
    {
        if (!eventHasData)
            return;
        events++;
        scanner.end();
        if (model == null)
            model = scanner.model();
        TokenUsage reported = scanner.usage();
        if (reported.isKnown())
            usage = reported;
        scanner.reset();
        eventHasData = false;
    }

    @Override
    public void end()
    {
        // A stream that ends without its final blank line still delivered its last event.
        if (line != Line.START)
            endLine();
        dispatch();
    }

    @Override
    public String model()
    {
        return model;
    }

    @Override
    public TokenUsage usage()
    {
        return usage;
    }

    @Override
    public int events()
    {
        return events;
    }
}
