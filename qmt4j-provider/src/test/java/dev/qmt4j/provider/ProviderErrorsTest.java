package dev.qmt4j.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProviderErrorsTest {
    static ProviderException payload(String json) {
        return ProviderErrors.fromPluginErrorJson("{\"payload\":" + json + "}");
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
    void onlyAPayloadObjectIsAStructuredError() {
        assertNull(ProviderErrors.fromPluginErrorJson("{\"nopayload\":1}"));
        assertNull(ProviderErrors.fromPluginErrorJson("oops not json"));
    }

    @Test
    void guestErrorsOfOtherCodesKeepThePluginsMessage() {
        ProviderException other = ProviderErrors.fromGuestError("chat", 2, "{\"payload\":{\"type\":\"auth_error\"}}");
        assertEquals(ProviderErrorKind.PLUGIN_ERROR, other.providerKind(), "only code 1 is structured");
        ProviderException s = ProviderErrors.fromGuestError("chat", ProviderErrors.STRUCTURED, "{\"payload\":{\"type\":\"auth_error\",\"message\":\"no key\"}}");
        assertEquals(ProviderErrorKind.AUTHENTICATION, s.providerKind());
        assertTrue(ProviderErrors.fromGuestError("chat", 1, "oops not json").getMessage().contains("oops not json"));
    }
}
