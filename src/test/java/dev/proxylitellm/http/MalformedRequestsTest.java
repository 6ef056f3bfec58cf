package dev.proxylitellm.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.eclipse.jetty.http.HttpException;
import org.junit.jupiter.api.Test;

class MalformedRequestsTest
{
    @Test
    void aBadMessageCarriesItsStatus()
    {
        assertEquals(400, MalformedRequests.status(new HttpException.RuntimeException(400, "Bad chunking")));
    }

    @Test
    void aBadMessageDeeperInTheCausesCounts()
    {
        assertEquals(400, MalformedRequests.status(new IOException(new HttpException.RuntimeException(400, "Bad chunking"))));
    }

    @Test
    void anyOtherFailureHasNone()
    {
        assertEquals(-1, MalformedRequests.status(new IOException("Connection reset by peer")));
    }

    /** A stand-in for the server's own copy of the class, which the WAR's class loader does not know. */
    @Test
    void theStatusIsReadByNameNotByClassIdentity() throws Exception
    {
        ClassLoader isolated = new java.net.URLClassLoader(new java.net.URL[] {
            HttpException.class.getProtectionDomain().getCodeSource().getLocation(),
            org.eclipse.jetty.util.StringUtil.class.getProtectionDomain().getCodeSource().getLocation(),
            org.eclipse.jetty.io.QuietException.class.getProtectionDomain().getCodeSource().getLocation()}, null);
        Class<?> foreign = isolated.loadClass(HttpException.RuntimeException.class.getName());
        Throwable failure = (Throwable)foreign.getConstructor(int.class, String.class).newInstance(400, "Bad chunking");

        assertEquals(false, failure instanceof org.eclipse.jetty.http.HttpException);
        assertEquals(400, MalformedRequests.status(failure));
    }
}
