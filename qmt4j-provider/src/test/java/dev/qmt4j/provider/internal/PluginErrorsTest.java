package dev.qmt4j.provider.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.wasm.PluginCallException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PluginErrorsTest {
    static ProviderException payload(String json) {
        return PluginErrors.fromPluginErrorJson("{\"payload\":" + json + "}");
    }

    @Test
    void mapsEveryPayloadVariant() {
        assertEquals(ProviderErrorKind.AUTHENTICATION, payload("{\"type\":\"auth_error\",\"message\":\"bad key\"}").providerKind());
        ProviderException rl = payload("{\"type\":\"rate_limited\",\"message\":\"slow\",\"retry_after_secs\":7}");
        assertEquals(ProviderErrorKind.RATE_LIMITED, rl.providerKind());
        assertEquals(7, rl.retryAfterSeconds().getAsLong());
        assertEquals("slow", rl.getMessage());
        assertEquals(ProviderErrorKind.INVALID_REQUEST, payload("{\"type\":\"invalid_request\",\"message\":\"x\"}").providerKind());
        assertEquals(ProviderErrorKind.INVALID_REQUEST, payload("{\"type\":\"tool_config_error\",\"message\":\"x\"}").providerKind());
        assertEquals(ProviderErrorKind.PLUGIN_ERROR, payload("{\"type\":\"plugin_error\",\"message\":\"x\"}").providerKind());
        assertEquals(ProviderErrorKind.PROVIDER_ERROR, payload("{\"type\":\"generic_error\",\"message\":\"x\"}").providerKind());
        assertEquals(ProviderErrorKind.RESPONSE_FORMAT, payload("{\"type\":\"response_format_error\",\"message\":\"x\",\"raw_response\":\"r\"}").providerKind());
        assertEquals(ProviderErrorKind.RESPONSE_FORMAT, payload("{\"type\":\"json_error\",\"message\":\"x\"}").providerKind());
        assertEquals(ProviderErrorKind.NETWORK, payload("{\"type\":\"transport\",\"kind\":\"timeout\",\"message\":\"x\"}").providerKind());
        assertEquals(ProviderErrorKind.NETWORK, payload("{\"type\":\"http_error\",\"message\":\"x\"}").providerKind());
        assertEquals(ProviderErrorKind.NETWORK, payload("{\"type\":\"io_error\",\"message\":\"x\"}").providerKind());
        assertEquals(ProviderErrorKind.CANCELLED, payload("{\"type\":\"cancelled\"}").providerKind());
        assertEquals(ProviderErrorKind.UNSUPPORTED, payload("{\"type\":\"not_implemented\",\"message\":\"x\"}").providerKind());
        assertEquals(ProviderErrorKind.INVALID_REQUEST, payload("{\"type\":\"invalid_url\",\"message\":\"x\"}").providerKind());
        ProviderException hs = payload("{\"type\":\"http_status\",\"status_code\":503,\"message\":\"down\",\"retry_after_secs\":null}");
        assertEquals(ProviderErrorKind.PROVIDER_ERROR, hs.providerKind());
        assertEquals(503, hs.httpStatus().getAsInt());
        assertEquals(ProviderErrorKind.AUTHENTICATION, payload("{\"type\":\"http_status\",\"status_code\":401,\"message\":\"x\"}").providerKind());
        assertEquals(ProviderErrorKind.PLUGIN_ERROR, payload("{\"type\":\"something_new\",\"message\":\"x\"}").providerKind());
    }

    @Test
    void structuredProviderErrorKinds() {
        ProviderException e = payload("{\"type\":\"provider_error\",\"message\":\"busy\",\"kind\":\"server_overloaded\",\"code\":\"c\",\"retry_after_secs\":2}");
        assertEquals(ProviderErrorKind.SERVER_OVERLOADED, e.providerKind());
        assertEquals(2, e.retryAfterSeconds().getAsLong());
        assertEquals("c", e.payload().get("code").stringValue());
        assertEquals(ProviderErrorKind.QUOTA_EXCEEDED, payload("{\"type\":\"provider_error\",\"message\":\"m\",\"kind\":\"quota_exceeded\"}").providerKind());
        assertEquals(ProviderErrorKind.CONTEXT_WINDOW_EXCEEDED, payload("{\"type\":\"provider_error\",\"message\":\"m\",\"kind\":\"context_window_exceeded\"}").providerKind());
        assertEquals(ProviderErrorKind.AUTHENTICATION, payload("{\"type\":\"provider_error\",\"message\":\"m\",\"kind\":\"authentication\"}").providerKind());
        assertEquals(ProviderErrorKind.RATE_LIMITED, payload("{\"type\":\"provider_error\",\"message\":\"m\",\"kind\":\"rate_limited\"}").providerKind());
        assertEquals(ProviderErrorKind.UNSUPPORTED, payload("{\"type\":\"provider_error\",\"message\":\"m\",\"kind\":\"unsupported_operation\"}").providerKind());
        assertEquals(ProviderErrorKind.PROVIDER_ERROR, payload("{\"type\":\"provider_error\",\"message\":\"m\",\"kind\":\"unknown_transient\"}").providerKind());
        assertEquals(ProviderErrorKind.PROVIDER_ERROR, payload("{\"type\":\"provider_error\",\"message\":\"m\"}").providerKind());
    }

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
        assertNull(PluginErrors.fromPluginErrorJson("{\"nopayload\":1}"));
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
