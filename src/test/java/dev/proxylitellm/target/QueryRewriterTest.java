package dev.proxylitellm.target;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryRewriterTest
{
    @ParameterizedTest
    @NullAndEmptySource
    void noQueryLeavesNothing(String query)
    {
        assertEquals("", QueryRewriter.withoutAppId(query));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a=1&b=2|a=1&b=2",
        "a=1&a=2&a=3|a=1&a=2&a=3",
        "x=%2F%20+y&z|x=%2F%20+y&z",
        "a=1&&b=2&|a=1&b=2",
        "app_idx=1&my_app_id=2|app_idx=1&my_app_id=2",
        "q=app_id|q=app_id"})
    void keepsEveryOtherParameterByteForByteAndInOrder(String query, String expected)
    {
        assertEquals(expected, QueryRewriter.withoutAppId(query));
    }

    @ParameterizedTest
    @ValueSource(strings = {"app_id=evil", "APP_ID=evil", "App_Id=evil", "app%5Fid=evil", "app%5fid=evil", "app%255Fid=evil",
        "app_id[]=evil", "app_id%5B%5D=evil", "app_id[x]=evil", "app.id=evil", "app+id=evil", "app%20id=evil", "%20app_id=evil",
        "app_id", "app_id=", "x=1;app_id=evil", "app_id=evil;x=1", "%61pp_id=evil"})
    void removesEveryWayOfNamingAppId(String parameter)
    {
        assertEquals("keep=1&also=2", QueryRewriter.withoutAppId("keep=1&" + parameter + "&also=2"));
    }
}
