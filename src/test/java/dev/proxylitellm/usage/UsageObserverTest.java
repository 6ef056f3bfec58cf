package dev.proxylitellm.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UsageObserverTest
{
    /** A multi-byte model name, so that splits fall inside UTF-8 characters too. */
    private static final String MODEL = "gpt-4o-mini-ünïcødé-模型";
    private static final String CLEAN_MODEL = ModelName.clean(MODEL);

    private static final String CHAT_COMPLETION = """
        {"id":"chatcmpl-1","object":"chat.completion","model":"%s",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Grüße, \\"usage\\": {\\"total_tokens\\": 999} ✓"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46,
                  "prompt_tokens_details":{"cached_tokens":7},"completion_tokens_details":{"reasoning_tokens":5}}}
        """.formatted(MODEL);

    private static final String STREAM = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"" + MODEL + "\",\"choices\":[{\"delta\":{\"content\":\"Hé\"}}],\"usage\":null}\r\n\r\n"
        + ": keep-alive\n\n"
        + "event: message\nid: 7\ndata: {\"id\":\"c\",\"model\":\"" + MODEL + "\",\n"
        + "data: \"choices\":[{\"delta\":{\"content\":\"llo ✓\"}}]}\n\n"
        + "data:{\"id\":\"c\",\"model\":\"" + MODEL + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}\r\r"
        + "data: [DONE]\n\n";

    @Test
    void readsModelAndUsageOfAChatCompletionSplitAtEveryByte()
    {
        byte[] body = CHAT_COMPLETION.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= body.length; split++)
        {
            UsageObserver observer = UsageObserver.forResponse(200, "application/json");
            feed(observer, body, split);
            assertEquals(CLEAN_MODEL, observer.model(), "split at " + split);
            assertEquals(new TokenUsage(12, 34, 46), observer.usage(), "split at " + split);
        }
    }

    @Test
    void readsTheFinalUsageChunkOfAStreamSplitAtEveryByte()
    {
        byte[] body = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= body.length; split++)
        {
            UsageObserver observer = UsageObserver.forResponse(200, "text/event-stream; charset=utf-8");
            feed(observer, body, split);
            assertEquals(CLEAN_MODEL, observer.model(), "split at " + split);
            assertEquals(new TokenUsage(9, 3, 12), observer.usage(), "split at " + split);
            assertEquals(4, observer.events(), "split at " + split);
        }
    }

    @Test
    void readsAStreamFedOneByteAtATime()
    {
        byte[] body = STREAM.getBytes(StandardCharsets.UTF_8);
        UsageObserver observer = UsageObserver.forResponse(200, "text/event-stream");
        for (byte b : body)
            observer.observe(ByteBuffer.wrap(new byte[] {b}));
        observer.end();
        assertEquals(new TokenUsage(9, 3, 12), observer.usage());
        assertEquals(4, observer.events());
    }

    @Test
    void readsAStreamSplitIntoThreePiecesAtEveryPairOfOffsets()
    {
        byte[] body = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int first = 0; first <= body.length; first += 3)
        {
            for (int second = first; second <= body.length; second += 5)
            {
                UsageObserver observer = UsageObserver.forResponse(200, "text/event-stream");
                observer.observe(ByteBuffer.wrap(body, 0, first));
                observer.observe(ByteBuffer.wrap(body, first, second - first));
                observer.observe(ByteBuffer.wrap(body, second, body.length - second));
                observer.end();
                assertEquals(new TokenUsage(9, 3, 12), observer.usage(), "split at " + first + ", " + second);
            }
        }
    }

    @Test
    void observingLeavesTheBufferAsItWas()
    {
        byte[] body = CHAT_COMPLETION.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(body, 5, 50);
        UsageObserver.forResponse(200, "application/json").observe(buffer);
        assertEquals(5, buffer.position());
        assertEquals(55, buffer.limit());
        ByteBuffer direct = ByteBuffer.allocateDirect(body.length).put(body).flip();
        UsageObserver.forResponse(200, "text/event-stream").observe(direct);
        assertEquals(0, direct.position());
    }

    @Test
    void readsUsageFromADirectBuffer()
    {
        byte[] body = CHAT_COMPLETION.getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(body.length).put(body).flip();
        UsageObserver observer = UsageObserver.forResponse(200, "application/json");
        observer.observe(direct);
        observer.end();
        assertEquals(new TokenUsage(12, 34, 46), observer.usage());
    }

    @Test
    void anEmbeddingReportsPromptAndTotalOnly()
    {
        UsageObserver observer = observe("application/json",
            "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,-2.5e-3,3]}],"
                + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}");
        assertEquals("text-embedding-3-small", observer.model());
        assertEquals(new TokenUsage(8, -1, 8), observer.usage());
    }

    @Test
    void theResponsesApiReportsInputAndOutputTokensInsideTheResponse()
    {
        UsageObserver observer = observe("text/event-stream",
            "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"model\":\"o4-mini\",\"usage\":null}}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"model\":\"o4-mini\","
                + "\"usage\":{\"input_tokens\":20,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":5,\"total_tokens\":25}}}\n\n");
        assertEquals("o4-mini", observer.model());
        assertEquals(new TokenUsage(20, 5, 25), observer.usage());
    }

    @Test
    void usageNestedElsewhereIsNotCounted()
    {
        UsageObserver observer = observe("application/json",
            "{\"metadata\":{\"usage\":{\"total_tokens\":99}},\"choices\":[{\"usage\":{\"total_tokens\":98}}],\"model\":\"m\"}");
        assertFalse(observer.usage().isKnown());
        assertEquals("m", observer.model());
    }

    @Test
    void aStreamWithoutAUsageChunkHasNoUsage()
    {
        UsageObserver observer = observe("text/event-stream", "data: {\"model\":\"m\",\"usage\":null}\n\ndata: [DONE]\n\n");
        assertFalse(observer.usage().isKnown());
        assertEquals(2, observer.events());
    }

    @Test
    void aStreamThatEndsWithoutItsBlankLineStillCountsItsLastEvent()
    {
        UsageObserver observer = observe("text/event-stream", "data: {\"usage\":{\"total_tokens\":4}}");
        assertEquals(new TokenUsage(-1, -1, 4), observer.usage());
        assertEquals(1, observer.events());
    }

    @Test
    void invalidJsonKeepsWhatWasReadBeforeTheFault()
    {
        UsageObserver observer = observe("application/json", "{\"model\":\"m\",\"usage\":{\"prompt_tokens\":3,} garbage");
        assertEquals("m", observer.model());
        assertEquals(3, observer.usage().prompt());
    }

    @Test
    void countsThatAreNotWholeNumbersAreIgnored()
    {
        UsageObserver observer = observe("application/json",
            "{\"usage\":{\"prompt_tokens\":1.5,\"completion_tokens\":-2,\"total_tokens\":\"7\"}}");
        assertFalse(observer.usage().isKnown());
    }

    @Test
    void aModelNameIsCleanedAndCutForLabels()
    {
        String name = "bad model\"name\\u0007" + "x".repeat(300);
        UsageObserver observer = observe("application/json", "{\"model\":\"" + name.replace("\"", "\\\"") + "\"}");
        assertEquals(ModelName.MAX_LENGTH, observer.model().length());
        assertTrue(observer.model().startsWith("bad_model_name_xxx"), observer.model());
    }

    @Test
    void escapedCharactersInAModelNameAreDecoded()
    {
        UsageObserver observer = observe("application/json", "{\"model\":\"a\\/b\\u002Dc\"}");
        assertEquals("a/b-c", observer.model());
    }

    @Test
    void errorsAndOtherContentTypesAreNotObserved()
    {
        assertNull(UsageObserver.forResponse(400, "application/json"));
        assertNull(UsageObserver.forResponse(500, "text/event-stream"));
        assertNull(UsageObserver.forResponse(200, "audio/mpeg"));
        assertNull(UsageObserver.forResponse(200, null));
        assertTrue(UsageObserver.forResponse(200, "application/problem+json; charset=utf-8") != null);
    }

    @Test
    void deeplyNestedDocumentsDoNotOverflow()
    {
        UsageObserver observer = observe("application/json", "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + ",\"usage\":{\"total_tokens\":1}}");
        assertFalse(observer.usage().isKnown());
    }

    @Test
    void aGzippedBodyIsReadInflatedSplitAtEveryByte() throws Exception
    {
        java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(compressed))
        {
            gzip.write(CHAT_COMPLETION.getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = compressed.toByteArray();
        for (int split = 0; split <= body.length; split++)
        {
            UsageObserver observer = UsageObserver.forResponse(200, "application/json", "gzip");
            feed(observer, body, split);
            assertEquals(new TokenUsage(12, 34, 46), observer.usage(), "split at " + split);
        }
    }

    @Test
    void aCorruptGzipBodyYieldsNoUsageAndNoFailure()
    {
        UsageObserver observer = UsageObserver.forResponse(200, "application/json", "gzip");
        feed(observer, "{\"usage\":{\"total_tokens\":1}}".getBytes(StandardCharsets.UTF_8), 3);
        assertFalse(observer.usage().isKnown());
    }

    @Test
    void bodiesInEncodingsTheProxyCannotReadAreNotObserved()
    {
        assertNull(UsageObserver.forResponse(200, "application/json", "br"));
        assertNull(UsageObserver.forResponse(200, "application/json", "zstd"));
        assertTrue(UsageObserver.forResponse(200, "application/json", "identity") != null);
    }

    @Test
    void arbitraryBytesNeverThrow()
    {
        java.util.Random random = new java.util.Random(42);
        byte[] alphabet = "{}[]\":,\\u0123456789abcdefnrtlsdata: \r\n".getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 5_000; round++)
        {
            byte[] body = new byte[random.nextInt(200)];
            for (int i = 0; i < body.length; i++)
                body[i] = random.nextInt(4) == 0 ? (byte)random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            for (String type : new String[] {"application/json", "text/event-stream"})
                feed(UsageObserver.forResponse(200, type), body, random.nextInt(body.length + 1));
        }
    }

    private static UsageObserver observe(String contentType, String body)
    {
        UsageObserver observer = UsageObserver.forResponse(200, contentType);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        feed(observer, bytes, bytes.length / 2);
        return observer;
    }

    private static void feed(UsageObserver observer, byte[] body, int split)
    {
        observer.observe(ByteBuffer.wrap(Arrays.copyOfRange(body, 0, split)));
        observer.observe(ByteBuffer.wrap(Arrays.copyOfRange(body, split, body.length)));
        observer.end();
    }
}
