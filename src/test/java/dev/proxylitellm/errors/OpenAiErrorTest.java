package dev.proxylitellm.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class OpenAiErrorTest
{
    @Test
    void rendersTheShapeOpenAiClientsParse()
    {
        OpenAiError error = new OpenAiError(502, "upstream_error", "upstream_unreachable", "Say \"why\"\nplease\\");

        assertEquals("{\"error\":{\"message\":\"Say \\\"why\\\"\\nplease\\\\\",\"type\":\"upstream_error\",\"param\":null,"
            + "\"code\":\"upstream_unreachable\"}}", error.toJson());
    }

    @Test
    void unreachableUpstreamsAreA502()
    {
        assertEquals("upstream_unreachable", UpstreamFailures.classify(new ConnectException("refused")).code());
        assertEquals("upstream_unreachable", UpstreamFailures.classify(new RuntimeException(new UnknownHostException("h"))).code());
        assertEquals("upstream_unreachable", UpstreamFailures.classify(new UnresolvedAddressException()).code());
        assertEquals("upstream_unreachable", UpstreamFailures.classify(new SSLHandshakeException("bad cert")).code());
        assertEquals(502, UpstreamFailures.classify(new ConnectException("refused")).status());
    }

    @Test
    void silentUpstreamsAreA504()
    {
        OpenAiError error = UpstreamFailures.classify(new TimeoutException("Idle timeout 500 ms"));

        assertEquals(504, error.status());
        assertEquals("upstream_timeout", error.code());
    }

    @Test
    void otherFailuresAreA502WithoutTheExceptionText()
    {
        OpenAiError error = UpstreamFailures.classify(new IllegalStateException("internal-host-9.corp:4000 said no"));

        assertEquals(502, error.status());
        assertEquals("upstream_error", error.code());
        assertEquals(-1, error.message().indexOf("internal-host"));
    }
}
