package dev.proxylitellm.usage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads a JSON document one byte at a time, in pieces of any size, and keeps only what the
 * metrics need: the top-level {@code model} and the token counts of the top-level {@code usage}
 * object (or of {@code response.model} / {@code response.usage}, where the Responses API puts
 * them). Nothing else is stored, so memory stays constant however large the document is. It
 * works on bytes, not characters: every JSON structural character is ASCII, and bytes of a
 * multi-byte UTF-8 character are never ASCII, so a piece may end anywhere, even inside a
 * character. Invalid JSON stops the scan; what was read before stays.
 */
public final class JsonUsageScanner
{
    private static final int MAX_DEPTH = 64;
    private static final int MAX_MODEL_BYTES = 256;
    private static final int MAX_NUMBER_BYTES = 24;

    // Keys the scanner recognises; any other key is OTHER.
    private static final int OTHER = 0;
    private static final int MODEL = 1;
    private static final int USAGE = 2;
    private static final int RESPONSE = 3;
    private static final int PROMPT = 4;
    private static final int COMPLETION = 5;
    private static final int TOTAL = 6;
    private static final byte[][] KEYS = {
        null,
        ascii("model"),
        ascii("usage"),
        ascii("response"),
        ascii("prompt_tokens"), ascii("completion_tokens"), ascii("total_tokens"),
        ascii("input_tokens"), ascii("output_tokens"),
    };
    private static final int[] KEY_IDS = {OTHER, MODEL, USAGE, RESPONSE, PROMPT, COMPLETION, TOTAL, PROMPT, COMPLETION};
    private static final int LONGEST_KEY = 17;

    private enum State
    {
        VALUE, KEY_OR_END, KEY, COLON, AFTER_VALUE, STRING, ESCAPE, UNICODE, LITERAL, FAILED
    }

    /** Container kinds on the stack. */
    private static final byte OBJECT = 1;
    private static final byte ARRAY = 2;

    private final byte[] containers = new byte[MAX_DEPTH + 1];
    private final int[] keys = new int[MAX_DEPTH + 1];
    private int depth;
    private State state = State.VALUE;
    private boolean stringIsKey;

    private final byte[] key = new byte[LONGEST_KEY];
    private int keyLength;
    private boolean keyEscaped;

    // What the value being read is for: nothing, the model, or one of the token counts.
    private int capture = OTHER;
    private final byte[] value = new byte[MAX_MODEL_BYTES];
    private int valueLength;
    private int unicode;
    private int unicodeDigits;

    private String model;
    private long prompt = -1;
    private long completion = -1;
    private long total = -1;

    /** Forgets everything, to read a new document. */
    public void reset()
    {
        depth = 0;
        state = State.VALUE;
        capture = OTHER;
        model = null;
        prompt = -1;
        completion = -1;
        total = -1;
    }

    /** Reads the remaining bytes of {@code bytes} without moving its position. */
    public void scan(ByteBuffer bytes)
    {
        if (bytes.hasArray())
        {
            int offset = bytes.arrayOffset();
            scan(bytes.array(), offset + bytes.position(), offset + bytes.limit());
            return;
        }
        for (int i = bytes.position(); i < bytes.limit() && state != State.FAILED; i++)
            next(bytes.get(i));
    }

    public void scan(byte[] bytes, int from, int to)
    {
        for (int i = from; i < to && state != State.FAILED; i++)
            next(bytes[i]);
    }

    /** Reads one byte. */
    public void next(byte b)
    {
        switch (state)
        {
            case STRING -> string(b);
            case VALUE -> value(b);
            case AFTER_VALUE -> afterValue(b);
            case KEY_OR_END ->
            {
                if (b == '}')
                    close(OBJECT);
                else if (!isWhitespace(b))
                    key(b);
            }
            case KEY -> key(b);
            case COLON ->
            {
                if (b == ':')
                    state = State.VALUE;
                else if (!isWhitespace(b))
                    state = State.FAILED;
            }
            case ESCAPE -> escape(b);
            case UNICODE -> unicodeDigit(b);
            case LITERAL -> literal(b);
            case FAILED ->
            {
            }
        }
    }

    private void value(byte b)
    {
        if (isWhitespace(b))
            return;
        capture = valueCapture();
        switch (b)
        {
            case '{' -> open(OBJECT);
            case '[' -> open(ARRAY);
            case '"' -> startString(false);
            case ']' ->
            {
                // An empty array: "[" then "]" where a value was expected.
                if (depth > 0 && containers[depth] == ARRAY)
                    close(ARRAY);
                else
                    state = State.FAILED;
            }
            default ->
            {
                if (b == '-' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z'))
                {
                    valueLength = 0;
                    state = State.LITERAL;
                    literal(b);
                }
                else
                {
                    state = State.FAILED;
                }
            }
        }
    }

    private void key(byte b)
    {
        if (isWhitespace(b))
        {
            state = State.KEY;
            return;
        }
        if (b != '"')
        {
            state = State.FAILED;
            return;
        }
        keyLength = 0;
        keyEscaped = false;
        startString(true);
    }

    private void startString(boolean isKey)
    {
        stringIsKey = isKey;
        valueLength = 0;
        state = State.STRING;
    }

    private void string(byte b)
    {
        if (b == '"')
        {
            endString();
        }
        else if (b == '\\')
        {
            state = State.ESCAPE;
        }
        else if ((b & 0xff) < 0x20)
        {
            state = State.FAILED;
        }
        else
        {
            stringByte(b);
        }
    }

    private void stringByte(byte b)
    {
        if (stringIsKey)
        {
            if (keyLength < LONGEST_KEY)
                key[keyLength] = b;
            keyLength++;
        }
        else if (capture == MODEL && valueLength < MAX_MODEL_BYTES)
        {
            value[valueLength++] = b;
        }
    }

    private void escape(byte b)
    {
        state = State.STRING;
        keyEscaped |= stringIsKey;
        switch (b)
        {
            case '"', '\\', '/' -> stringByte(b);
            case 'b', 'f', 'n', 'r', 't' -> stringByte((byte)' ');
            case 'u' ->
            {
                unicode = 0;
                unicodeDigits = 0;
                state = State.UNICODE;
            }
            default -> state = State.FAILED;
        }
    }

    private void unicodeDigit(byte b)
    {
        int digit = Character.digit(b, 16);
        if (digit < 0)
        {
            state = State.FAILED;
            return;
        }
        unicode = unicode * 16 + digit;
        if (++unicodeDigits < 4)
            return;
        state = State.STRING;
        // A model name with an escaped character keeps it as UTF-8; surrogates become '?'.
        int c = unicode >= 0xD800 && unicode <= 0xDFFF ? '?' : unicode;
        for (byte encoded : String.valueOf((char)c).getBytes(StandardCharsets.UTF_8))
            stringByte(encoded);
    }

    private void endString()
    {
        if (stringIsKey)
        {
            keys[depth] = keyEscaped ? OTHER : keyId();
            state = State.COLON;
            return;
        }
        if (capture == MODEL && model == null)
            model = ModelName.clean(new String(value, 0, valueLength, StandardCharsets.UTF_8));
        capture = OTHER;
        endValue();
    }

    private void literal(byte b)
    {
        if (b == '-' || b == '+' || b == '.' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))
        {
            if (valueLength < MAX_NUMBER_BYTES)
                value[valueLength++] = b;
            else
                capture = OTHER;
            return;
        }
        endLiteral();
        afterValue(b);
    }

    private void endLiteral()
    {
        if (capture >= PROMPT)
        {
            long count = parseCount();
            if (count >= 0)
            {
                switch (capture)
                {
                    case PROMPT -> prompt = count;
                    case COMPLETION -> completion = count;
                    default -> total = count;
                }
            }
        }
        capture = OTHER;
        endValue();
    }

    /** A whole, non-negative number of at most 18 digits, or -1 for anything else (null, 1.5, -3). */
    private long parseCount()
    {
        if (valueLength == 0 || valueLength > 18)
            return -1;
        long count = 0;
        for (int i = 0; i < valueLength; i++)
        {
            byte b = value[i];
            if (b < '0' || b > '9')
                return -1;
            count = count * 10 + (b - '0');
        }
        return count;
    }

    private void open(byte container)
    {
        if (depth == MAX_DEPTH)
        {
            state = State.FAILED;
            return;
        }
        depth++;
        containers[depth] = container;
        keys[depth] = OTHER;
        state = container == OBJECT ? State.KEY_OR_END : State.VALUE;
    }

    private void close(byte container)
    {
        if (depth == 0 || containers[depth] != container)
        {
            state = State.FAILED;
            return;
        }
        depth--;
        endValue();
    }

    private void endValue()
    {
        state = State.AFTER_VALUE;
    }

    private void afterValue(byte b)
    {
        if (isWhitespace(b))
            return;
        if (depth == 0)
        {
            // Anything after the document (the next event's data is scanned after a reset).
            state = State.FAILED;
            return;
        }
        if (b == ',')
            state = containers[depth] == OBJECT ? State.KEY : State.VALUE;
        else if (b == '}')
            close(OBJECT);
        else if (b == ']')
            close(ARRAY);
        else
            state = State.FAILED;
    }

    /** What a value starting now is: the model, a token count, or of no interest. */
    private int valueCapture()
    {
        if (depth == 0 || containers[1] != OBJECT)
            return OTHER;
        int base = 1;
        if (keys[1] == RESPONSE && depth >= 2 && containers[2] == OBJECT)
            base = 2;
        int levels = depth - base + 1;
        if (levels == 1 && containers[depth] == OBJECT && keys[depth] == MODEL)
            return MODEL;
        if (levels == 2 && keys[base] == USAGE && containers[depth] == OBJECT && keys[depth] >= PROMPT)
            return keys[depth];
        return OTHER;
    }

    private int keyId()
    {
        if (keyLength > LONGEST_KEY)
            return OTHER;
        for (int id = 1; id < KEYS.length; id++)
        {
            byte[] candidate = KEYS[id];
            if (candidate.length == keyLength && java.util.Arrays.equals(candidate, 0, keyLength, key, 0, keyLength))
                return KEY_IDS[id];
        }
        return OTHER;
    }

    private static boolean isWhitespace(byte b)
    {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static byte[] ascii(String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the literal being read at the end of the input is complete, as at the end of a document. */
    public void end()
    {
        if (state == State.LITERAL)
            endLiteral();
    }

    /** The model the document names, or null. */
    public String model()
    {
        return model;
    }

    /** The token counts read so far; {@link TokenUsage#isKnown()} is false when there were none. */
    public TokenUsage usage()
    {
        return new TokenUsage(prompt, completion, total);
    }
}
