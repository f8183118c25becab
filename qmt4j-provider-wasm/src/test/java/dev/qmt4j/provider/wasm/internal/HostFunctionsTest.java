package dev.qmt4j.provider.wasm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.provider.HttpLimits;
import dev.qmt4j.provider.NetworkPolicy;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderErrors;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.wasm.ExtismPlugin;
import dev.qmt4j.wasm.WasmManifest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The qmt_* host functions driven by a WAT guest on the real Extism host. */
class HostFunctionsTest {
    static OpenAiTestServer server;
    static OpenAiTestServer other;
    static ExtismPlugin plugin;
    static final NetworkPolicy ALLOW_127 = NetworkPolicy.builder().allowedHost("127.0.0.1").build(); // an exact entry: any port

    @BeforeAll
    static void start() {
        server = OpenAiTestServer.start();
        other = OpenAiTestServer.start();
        byte[] wasm = WatGuest.build("http://127.0.0.1:1/v1", WatGuest.getRequest(server.baseUrl() + "models", server.apiKey()));
        plugin = ExtismPlugin.builder(WasmManifest.builder().module(wasm).config("model", "gpt-x").build())
                .name("wat").hostFunctions(new QmtHostFunctions(new SafeHttp(HttpLimits.DEFAULT), "wat").functions()).build();
    }

    @AfterAll
    static void stop() {
        plugin.close();
        server.close();
        other.close();
    }

    @BeforeEach
    void reset() {
        server.clearRequests();
        other.clearRequests();
        server.redirectTo(null);
    }

    static JsonNode call(String fn, String input, CallState st) {
        try (st) {
            return Json.parse(plugin.call(fn, input.getBytes(StandardCharsets.UTF_8), st));
        }
    }

    static ProviderException fails(String fn, String input, CallState st) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> plugin.call(fn, input.getBytes(StandardCharsets.UTF_8), st));
        return PluginErrors.fromCall(fn, e);
    }

    @Test
    void httpRequestRoundTripsTheWireFormat() {
        JsonNode r = call("raw_http", WatGuest.getRequest(server.baseUrl() + "models", server.apiKey()), new CallState(ALLOW_127, null));
        assertEquals(200, r.at("/resp/head/status").asInt());
        assertEquals("HTTP/1.1", r.at("/resp/head/version").stringValue());
        assertEquals("application/json", r.at("/resp/head/headers/content-type").stringValue());
        assertTrue(r.at("/resp/body").isArray());
        String body = new String(HttpWire.readBody(r.at("/resp/body")), StandardCharsets.UTF_8);
        assertTrue(body.contains(OpenAiTestServer.MODEL_A), body);
        assertEquals("Bearer " + server.apiKey(), server.requests().get(0).header("authorization"));
    }

    @Test
    void disallowedHostFailsTheCallAndSendsNothing() {
        ProviderException e = fails("raw_http", WatGuest.getRequest(server.baseUrl() + "models", null), CallState.offline());
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertTrue(server.requests().isEmpty());
        ProviderException s = fails("stream_open", WatGuest.getRequest(server.baseUrl() + "models", null), CallState.offline());
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, s.providerKind(), "same decision for streams");
    }

    @Test
    void redirectToDisallowedHostIsDenied() {
        server.redirectTo("http://localhost:" + other.port());
        ProviderException e = fails("raw_http", WatGuest.getRequest(server.baseUrl() + "models", server.apiKey()), new CallState(ALLOW_127, null));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertEquals(1, server.requests().size());
        assertTrue(other.requests().isEmpty());
    }

    @Test
    void networkErrorIsASynthetic500() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        JsonNode r = call("raw_http", WatGuest.getRequest("http://127.0.0.1:" + port + "/x", null), new CallState(ALLOW_127, null));
        assertEquals(500, r.at("/resp/head/status").asInt());
        assertTrue(new String(HttpWire.readBody(r.at("/resp/body"))).contains("connection refused"));
        JsonNode so = call("stream_open", WatGuest.getRequest("http://127.0.0.1:" + port + "/x", null), new CallState(ALLOW_127, null));
        assertEquals("error", so.get("status").stringValue());
        assertEquals(1, so.get("error_code").asInt());
        JsonNode pe = Json.parse(so.get("plugin_error").stringValue().getBytes());
        assertEquals("transport", pe.at("/payload/type").stringValue());
        assertEquals("connection_refused", pe.at("/payload/kind").stringValue());
    }

    @Test
    void streamOpenClassifiesHttpErrors() {
        server.rateLimitNext(9);
        JsonNode so = call("stream_open", WatGuest.getRequest(server.baseUrl() + "models", server.apiKey()), new CallState(ALLOW_127, null));
        assertEquals("error", so.get("status").stringValue());
        JsonNode pe = Json.parse(so.get("plugin_error").stringValue().getBytes());
        assertEquals("rate_limited", pe.at("/payload/type").stringValue());
        assertEquals(9, pe.at("/payload/retry_after_secs").asInt());
        assertEquals(ProviderErrorKind.RATE_LIMITED, ProviderErrors.fromPluginErrorJson(so.get("plugin_error").stringValue()).providerKind());
        JsonNode ok = call("stream_open", WatGuest.getRequest(server.baseUrl() + "models", server.apiKey()), new CallState(ALLOW_127, null));
        assertEquals("{\"status\":\"ok\",\"stream_id\":1}", ok.toString());
    }

    @Test
    void streamReadsToTheEnd() {
        String req = "{\"req\":{\"head\":{\"method\":\"POST\",\"uri\":\"" + server.baseUrl() + "chat/completions\",\"headers\":{\"authorization\":\"Bearer "
                + server.apiKey() + "\",\"content-type\":\"application/json\"},\"version\":\"HTTP/1.1\"},\"body\":"
                + bytes("{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}") + "}}";
        try (CallState st = new CallState(ALLOW_127, null)) {
            String sse = new String(plugin.call("stream_all", req.getBytes(StandardCharsets.UTF_8), st), StandardCharsets.UTF_8);
            assertTrue(sse.startsWith("data: {"), sse);
            assertTrue(sse.endsWith("data: [DONE]\n\n"), sse);
        }
    }

    @Test
    void configHoldsOnlyWhatWasGiven() {
        assertEquals("none", new String(plugin.call("env", "PATH".getBytes(), CallState.offline())));
        assertEquals("none", new String(plugin.call("env", "HOME".getBytes(), CallState.offline())));
        assertEquals("gpt-x", new String(plugin.call("env", "model".getBytes(), CallState.offline())));
    }

    @Test
    void logNeverFailsTheCall() {
        plugin.call("log", "{\"level\":3,\"target\":\"t\",\"message\":\"hello\"}".getBytes(), CallState.offline());
        plugin.call("log", "not json".getBytes(), CallState.offline());
    }

    @Test
    void cancelledStateAnswers499() {
        CallState st = new CallState(ALLOW_127, n -> { throw new IllegalStateException("stop"); });
        st.yieldChunk(Json.object());
        assertTrue(st.cancelled());
        JsonNode r = call("raw_http", WatGuest.getRequest(server.baseUrl() + "models", server.apiKey()), st);
        assertEquals(499, r.at("/resp/head/status").asInt());
        assertTrue(server.requests().isEmpty());
    }

    static String bytes(String s) {
        StringBuilder b = new StringBuilder("[");
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            if (b.length() > 1) b.append(',');
            b.append(x & 0xff);
        }
        return b.append(']').toString();
    }
}
