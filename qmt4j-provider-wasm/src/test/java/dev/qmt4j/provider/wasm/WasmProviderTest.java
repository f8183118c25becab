package dev.qmt4j.provider.wasm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.provider.Capability;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.Sandbox;
import dev.qmt4j.provider.wasm.internal.WatGuest;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import dev.qmt4j.wasm.WasmManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** WasmProvider with qmt4j-testplugins' qmt-openai (HTTP-adapter ABI) and qmt-legacy plugins against the OpenAI test server. */
class WasmProviderTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static OpenAiTestServer server;
    static OpenAiTestServer other;
    static WasmProvider openai;
    static WasmProvider legacy;

    @BeforeAll
    static void start() {
        server = OpenAiTestServer.start();
        other = OpenAiTestServer.start();
        openai = WasmProvider.builder(TestPlugins.path(TestPlugins.QMT_OPENAI)).config(cfg()).build();
        legacy = WasmProvider.builder(TestPlugins.path(TestPlugins.QMT_LEGACY)).config(cfg()).build();
    }

    @AfterAll
    static void stop() {
        openai.close();
        legacy.close();
        server.close();
        other.close();
    }

    @BeforeEach
    void reset() {
        server.clearRequests();
        other.clearRequests();
        server.redirectTo(null);
    }

    static ObjectNode cfg() {
        ObjectNode c = JSON.createObjectNode();
        c.put("base_url", server.url() + "/v1").put("api_key", server.apiKey()).put("model", OpenAiTestServer.MODEL_A);
        return c;
    }

    static JsonNode messages(String text) {
        return JSON.readTree("[{\"role\":\"user\",\"content\":\"" + text + "\"}]");
    }

    static final JsonNode TOOLS = JSON.readTree("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"w\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"input\":{\"type\":\"string\"}}}}}]");

    @Test
    void theSandboxDefaultsAreTheWasmHostsDefaults() {
        // qmt4j-provider does not depend on the Wasm host, so Sandbox keeps its own copy of these
        assertEquals(WasmManifest.DEFAULT_MAX_PAGES, Sandbox.defaults().maxMemoryPages());
        assertEquals(WasmManifest.DEFAULT_MAX_HTTP_RESPONSE_BYTES, Sandbox.defaults().maxHttpResponseBytes());
    }

    @Test
    void metadataAndAbi() {
        assertEquals("qmt-openai", openai.name());
        assertEquals(WasmProvider.Abi.HTTP_ADAPTER, openai.abi());
        assertEquals("OPENAI_API_KEY", openai.apiKeyName());
        assertTrue(openai.capabilities().containsAll(Set.of(Capability.CHAT, Capability.CHAT_STREAM, Capability.LIST_MODELS, Capability.EMBED)));
        assertTrue(openai.configSchema().isObject());
        assertEquals("qmt-legacy", legacy.name());
        assertEquals(WasmProvider.Abi.LEGACY, legacy.abi());
        assertNull(legacy.baseUrl());
        assertEquals(JSON.createObjectNode(), legacy.configSchema(), "absent config_schema is an empty schema");
    }

    @Test
    void chatThroughTheAdapterAbi() {
        JsonNode r = openai.chat(cfg(), messages("hello world"), null);
        assertEquals("Echo: hello world", r.get("text").stringValue());
        assertEquals(3, r.at("/usage/output_tokens").asInt(r.at("/usage/completion_tokens").asInt()));
        assertEquals(1, server.requests().size());
        assertEquals("/v1/chat/completions", server.requests().get(0).path());
    }

    @Test
    void chatWithTools() {
        JsonNode r = openai.chat(cfg(), messages("weather?"), TOOLS);
        JsonNode call = r.at("/tool_calls/0");
        assertEquals(OpenAiTestServer.TOOL_CALL_ID, call.get("id").stringValue());
        assertEquals("get_weather", call.at("/function/name").stringValue());
    }

    @Test
    void streamingChatThroughTheAdapterAbi() {
        List<JsonNode> chunks = new ArrayList<>();
        openai.chatStream(cfg(), messages("a b c"), null, chunks::add);
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks) if (c.has("text")) text.append(c.get("text").stringValue());
        assertEquals("Echo: a b c", text.toString(), chunks.toString());
        assertTrue(chunks.stream().anyMatch(c -> c.has("usage")), chunks.toString());
    }

    @Test
    void chatThroughTheLegacyAbi() {
        JsonNode r = legacy.chat(cfg(), messages("hi there"), null);
        assertEquals("Echo: hi there", r.get("text").stringValue());
        assertEquals(List.of(OpenAiTestServer.MODEL_A, OpenAiTestServer.MODEL_B), legacy.listModels(cfg()));
        ProviderException e = assertThrows(ProviderException.class, () -> legacy.embed(cfg(), List.of("x")));
        assertEquals(ProviderErrorKind.UNSUPPORTED, e.providerKind());
    }

    @Test
    void listModelsAndEmbed() {
        assertEquals(List.of(OpenAiTestServer.MODEL_A, OpenAiTestServer.MODEL_B), openai.listModels(cfg()));
        float[][] v = openai.embed(cfg(), List.of("ab", "cd"));
        assertEquals(2, v.length);
        float[] expected = new float[OpenAiTestServer.EMBEDDING_DIMENSIONS];
        List<Double> e = OpenAiTestServer.embedding("cd");
        for (int i = 0; i < expected.length; i++) expected[i] = e.get(i).floatValue();
        assertArrayEquals(expected, v[1]);
    }

    @Test
    void invalidConfigIsTyped() {
        ObjectNode bad = cfg();
        bad.remove("model");
        assertEquals(ProviderErrorKind.INVALID_CONFIG, assertThrows(ProviderException.class, () -> openai.fromConfig(bad)).providerKind());
        ObjectNode badUrl = cfg();
        badUrl.put("base_url", "nope");
        assertEquals(ProviderErrorKind.INVALID_CONFIG, assertThrows(ProviderException.class, () -> openai.fromConfig(badUrl)).providerKind());
        assertEquals(cfg(), openai.fromConfig(cfg()));
    }

    @Test
    void authAndRateLimitErrorsAreTyped() {
        ObjectNode wrongKey = cfg();
        wrongKey.put("api_key", "wrong");
        for (WasmProvider p : List.of(openai, legacy)) {
            assertEquals(ProviderErrorKind.AUTHENTICATION, assertThrows(ProviderException.class,
                    () -> p.chat(wrongKey, messages("x"), null)).providerKind(), p.name());
            server.rateLimitNext(7);
            ProviderException rl = assertThrows(ProviderException.class, () -> p.chat(cfg(), messages("x"), null));
            assertEquals(ProviderErrorKind.RATE_LIMITED, rl.providerKind(), p.name());
        }
        server.rateLimitNext(7);
        ProviderException rl = assertThrows(ProviderException.class, () -> openai.chat(cfg(), messages("x"), null));
        assertEquals(7, rl.retryAfterSeconds().getAsLong());
        server.failNext(500, -1, "boom");
        assertEquals(ProviderErrorKind.PROVIDER_ERROR, assertThrows(ProviderException.class,
                () -> openai.listModels(cfg())).providerKind());
    }

    @Test
    void redirectToDisallowedHostIsDeniedAndNothingReachesIt() {
        server.redirectTo("http://localhost:" + other.port());
        for (WasmProvider p : List.of(openai, legacy)) {
            ProviderException e = assertThrows(ProviderException.class, () -> p.chat(cfg(), messages("x"), null));
            assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind(), p.name());
        }
        assertTrue(other.requests().isEmpty());
    }

    @Test
    void unconfiguredHostIsDenied() {
        ObjectNode noBase = cfg();
        noBase.remove("base_url");
        // qmt-openai's default is api.openai.com: allowed by policy, but a request to the test server's
        // host (127.0.0.1) through allowed_hosts-less config must not happen: legacy has no default at all.
        ProviderException e = assertThrows(ProviderException.class, () -> legacy.chat(noBase, messages("x"), null));
        assertTrue(e.providerKind() == ProviderErrorKind.SANDBOX_DENIED || e.providerKind() == ProviderErrorKind.INVALID_CONFIG
                || e.providerKind() == ProviderErrorKind.INVALID_REQUEST, e.toString());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void loopbackDefaultBaseUrlWithoutConfigIsDenied() {
        String base = server.url() + "/v1";
        try (WasmProvider p = WasmProvider.builder(WatGuest.build(base, WatGuest.getRequest(base + "/models", server.apiKey()))).build()) {
            assertEquals(base, p.baseUrl());
            assertEquals(Set.of(Capability.CHAT, Capability.CHAT_STREAM), p.capabilities());
            ProviderException e = assertThrows(ProviderException.class, () -> p.chat(JSON.createObjectNode(), messages("x"), null));
            assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
            assertTrue(server.requests().isEmpty());
            // The user configuring that base_url explicitly makes it fine.
            JsonNode ok = p.chat(JSON.createObjectNode().put("base_url", base), messages("x"), null);
            assertEquals(200, ok.at("/resp/head/status").asInt());
            // Streaming in the legacy ABI goes through qmt_yield_chunk, with stream:true injected.
            List<JsonNode> chunks = new ArrayList<>();
            p.chatStream(JSON.createObjectNode(), messages("x"), null, chunks::add);
            assertEquals(3, chunks.size());
            assertTrue(chunks.get(0).at("/cfg/stream").asBoolean());
            assertEquals(ProviderErrorKind.UNSUPPORTED, assertThrows(ProviderException.class,
                    () -> p.listModels(JSON.createObjectNode())).providerKind());
        }
    }

    @Test
    void eightThreadsChatAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                fs.add(pool.submit(() -> {
                    StringBuilder b = new StringBuilder();
                    for (int k = 0; k < 5; k++) {
                        WasmProvider p = (n + k) % 2 == 0 ? openai : legacy;
                        b.append(p.chat(cfg(), messages("t" + n + "k" + k), null).get("text").stringValue()).append('|');
                    }
                    List<JsonNode> chunks = new ArrayList<>();
                    openai.chatStream(cfg(), messages("s" + n), null, chunks::add);
                    return b.toString() + chunks.stream().filter(c -> c.has("text")).map(c -> c.get("text").stringValue()).reduce("", String::concat);
                }));
            }
            for (int i = 0; i < 8; i++) {
                String r = fs.get(i).get();
                for (int k = 0; k < 5; k++) assertTrue(r.contains("Echo: t" + i + "k" + k + "|"), r);
                assertTrue(r.endsWith("Echo: s" + i), r);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
