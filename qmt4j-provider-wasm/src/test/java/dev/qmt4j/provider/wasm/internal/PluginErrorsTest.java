package dev.qmt4j.provider.wasm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.wasm.PluginCallException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PluginErrorsTest {
    @Test
    void callExceptions() {
        ProviderException s = PluginErrors.fromCall("chat", new PluginCallException("chat", 1,
                "{\"payload\":{\"type\":\"auth_error\",\"message\":\"no key\"}}", "failed", null));
        assertEquals(ProviderErrorKind.AUTHENTICATION, s.providerKind());
        assertEquals(ErrorKind.AUTH, s.kind());
        ProviderException other = PluginErrors.fromCall("chat", new PluginCallException("chat", 2, "{\"payload\":{\"type\":\"auth_error\"}}", "failed", null));
        assertEquals(ProviderErrorKind.PLUGIN_ERROR, other.providerKind(), "only code 1 is structured");
        ProviderException junk = PluginErrors.fromCall("chat", new PluginCallException("chat", 1, "oops not json", "failed", null));
        assertEquals(ProviderErrorKind.PLUGIN_ERROR, junk.providerKind());
        assertTrue(junk.getMessage().contains("oops not json"));
    }

    static HttpWire.Response resp(int status, String body, String retryAfter) {
        HttpWire.Headers h = new HttpWire.Headers();
        if (retryAfter != null) h.add("Retry-After", retryAfter);
        return new HttpWire.Response(status, h, "HTTP/1.1", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void statusClassification() {
        ProviderException e = PluginErrors.fromStatus(resp(429, "{\"error\":{\"message\":\"Rate limit reached\"}}", "12"), true);
        assertEquals(ProviderErrorKind.RATE_LIMITED, e.providerKind());
        assertEquals(12, e.retryAfterSeconds().getAsLong());
        assertEquals("Rate limit reached", e.getMessage());
        assertEquals(ProviderErrorKind.AUTHENTICATION, PluginErrors.fromStatus(resp(401, "nope", null), true).providerKind());
        assertEquals("nope", PluginErrors.fromStatus(resp(401, "nope", null), true).getMessage());
        assertEquals("HTTP 500", PluginErrors.fromStatus(resp(500, "", null), false).getMessage());
        assertEquals(ProviderErrorKind.INVALID_REQUEST, PluginErrors.fromStatus(resp(422, "", null), true).providerKind());
        assertEquals(ProviderErrorKind.PROVIDER_ERROR, PluginErrors.fromStatus(resp(422, "", null), false).providerKind());
        assertEquals(ProviderErrorKind.CANCELLED, PluginErrors.fromStatus(resp(499, "cancelled", null), false).providerKind());
        assertEquals(30, PluginErrors.fromStatus(resp(429, "{\"error\":{\"retry_after\":30}}", null), false).retryAfterSeconds().getAsLong());
        assertEquals("{\"type\":\"rate_limited\",\"message\":\"HTTP 429\",\"retry_after_secs\":3}",
                PluginErrors.payloadForStatus(resp(429, "", "3")).toString());
        assertEquals("{\"type\":\"http_status\",\"status_code\":502,\"message\":\"bad gw\",\"retry_after_secs\":null}",
                PluginErrors.payloadForStatus(resp(502, "bad gw", null)).toString());
        assertEquals("{\"type\":\"auth_error\",\"message\":\"x\"}", PluginErrors.payloadForStatus(resp(403, "x", null)).toString());
    }
}
