package dev.proxylitellm.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest
{
    private final SecretRedactor redactor = new SecretRedactor(List.of("ds-secret", "sk-secret"),
        List.of("authorization", "x-litellm-key", "x-api-key"));

    @Test
    void blanksConfiguredSecretsAnywhere()
    {
        assertEquals("key=[REDACTED] and [REDACTED]!", redactor.redact("key=ds-secret and sk-secret!"));
    }

    @Test
    void blanksCredentialHeaderValuesWhateverTheirCase()
    {
        String dump = "POST /v1/x HTTP/1.1\nAuthorization: Bearer client-key\nX-API-KEY:other\nContent-Type: application/json\n";

        String redacted = redactor.redact(dump);

        assertEquals("POST /v1/x HTTP/1.1\nAuthorization: [REDACTED]\nX-API-KEY:[REDACTED]\nContent-Type: application/json\n", redacted);
    }

    @Test
    void blanksHeaderValuesInsideOtherText()
    {
        String redacted = redactor.redact("HttpFields[x-litellm-key=Bearer abc, Host: h]");

        assertFalse(redacted.contains("abc"), redacted);
    }

    @Test
    void blanksBufferDumps()
    {
        String redacted = redactor.redact("filled 74 DirectByteBuffer@1[p=0,l=74]={<<<{\"messages\":\"a prompt\"}>>>\\x00}");

        assertEquals("filled 74 DirectByteBuffer@1[p=0,l=74]={<<<[CONTENT REDACTED]>>>}", redacted);
    }

    @Test
    void blanksTheStaleBytesAroundABufferDump()
    {
        String dump = "b=DirectByteBuffer@a[p=20,l=30,c=64,r=10]={Authoriz...ds-s<<<{\"a\":\"}prompt\"}>>>\\r\\nX-Key: s...k-se} next";

        assertEquals("b=DirectByteBuffer@a[p=20,l=30,c=64,r=10]={<<<[CONTENT REDACTED]>>>} next", redactor.redact(dump));
    }

    @Test
    void leavesOrdinaryLinesAlone()
    {
        String line = "POST /v1/chat/completions 200 upstream=200 ttfb=3ms total=9ms in=120B out=800B outcome=ok";

        assertEquals(line, redactor.redact(line));
    }
}
