package dev.proxylitellm.containers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.proxylitellm.support.FakeUpstream;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Audio uploads and file downloads: 20 MiB each way, with a Content-Length and chunked, must
 * arrive byte for byte, in every container (a body cut short must fail at the client, never look
 * complete). Uses the {@code /llm} deployment of {@link DeployedProxyContract}.
 */
interface LargeBodiesContract
{
    int SIZE = 20 * 1024 * 1024;
    byte[] BODY = randomBytes(SIZE);

    ServletContainer container();

    /** Whether the WAR can break a response under way in this container (see {@link FailurePathContract}). */
    boolean breaksCutResponses();

    FakeUpstream upstream();

    private static byte[] randomBytes(int size)
    {
        byte[] bytes = new byte[size];
        new Random(20).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) throws Exception
    {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static HttpClient client()
    {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest(name = "chunked={0}")
    @ValueSource(booleans = {false, true})
    default void aTwentyMebibyteUploadReachesUpstreamByteForByte(boolean chunked) throws Exception
    {
        upstream().drainRequests();
        HttpRequest.BodyPublisher body = chunked
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(BODY))
            : HttpRequest.BodyPublishers.ofByteArray(BODY);

        HttpResponse<String> response = client().send(HttpRequest.newBuilder(container().uri("/llm", "/v1/audio/transcriptions"))
            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/octet-stream").POST(body).build(),
            HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        FakeUpstream.RecordedRequest received = upstream().takeRequest();
        assertEquals(SIZE, received.body().length);
        assertArrayEquals(sha256(BODY), sha256(received.body()), "upstream received other bytes than were sent");
    }

    @ParameterizedTest(name = "chunked={0}")
    @ValueSource(booleans = {false, true})
    default void aTwentyMebibyteDownloadReachesTheClientByteForByte(boolean chunked) throws Exception
    {
        upstream().script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "application/octet-stream");
            if (!chunked)
                exchange.header("Content-Length", Integer.toString(SIZE));
            for (int offset = 0; offset < SIZE; offset += 64 * 1024)
                exchange.write(java.util.Arrays.copyOfRange(BODY, offset, Math.min(SIZE, offset + 64 * 1024)));
        });

        HttpResponse<byte[]> response = client().send(HttpRequest.newBuilder(container().uri("/llm", "/v1/files/file-1/content"))
            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, response.statusCode());
        assertEquals(chunked ? "" : Integer.toString(SIZE), response.headers().firstValue("Content-Length").orElse(""));
        assertEquals(SIZE, response.body().length);
        assertArrayEquals(sha256(BODY), sha256(response.body()), "the client received other bytes than upstream sent");
    }

    @ParameterizedTest(name = "chunked={0}")
    @ValueSource(booleans = {false, true})
    default void aDownloadCutByUpstreamNeverLooksComplete(boolean chunked) throws Exception
    {
        upstream().script((request, exchange) ->
        {
            exchange.status(200).header("Content-Type", "application/octet-stream");
            if (!chunked)
                exchange.header("Content-Length", Integer.toString(SIZE));
            exchange.write(java.util.Arrays.copyOfRange(BODY, 0, 1024 * 1024));
            exchange.reset();
        });

        java.io.IOException cut = null;
        try
        {
            HttpResponse<byte[]> response = client().send(HttpRequest.newBuilder(container().uri("/llm", "/v1/files/file-1/content"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            System.out.println(getClass().getSimpleName() + ": a download cut by upstream (chunked=" + chunked + ") ended cleanly after "
                + response.body().length + " bytes");
        }
        catch (java.io.IOException x)
        {
            cut = x;
        }
        if (!chunked || breaksCutResponses())
            org.junit.jupiter.api.Assertions.assertNotNull(cut, "a download cut by upstream looked complete to the client");
    }
}
