package dev.qmt4j.nativeplugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qmt4j.provider.Capability;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.ProviderPlugin;
import dev.qmt4j.provider.wasm.WasmProvider;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The example provider's unchanged C source, built twice by build.sh: as a shared library (gcc,
 * loaded with JNA) and as a Wasm plugin (clang, wasm-adapter/, run on the Extism host). Both must
 * behave as the same provider: same metadata, answers, stream chunks and typed errors.
 */
class NativeWasmParityTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static NativeProvider nativeEcho;
    private static WasmProvider wasmEcho;

    @BeforeAll
    static void load() {
        nativeEcho = NativeProvider.load(NativeLibs.lib(NativeLibs.ECHO));
        wasmEcho = WasmProvider.builder(NativeLibs.wasm(NativeLibs.ECHO)).config(cfg()).build();
    }

    @AfterAll
    static void close() {
        nativeEcho.close();
        wasmEcho.close();
    }

    private static ObjectNode cfg() {
        return NativeProviderTest.cfg();
    }

    @Test
    void sameMetadata() {
        assertEquals(WasmProvider.Abi.LEGACY, wasmEcho.abi());
        for (ProviderPlugin p : List.of(nativeEcho, wasmEcho)) {
            assertEquals("echo-native", p.name(), p.getClass().getSimpleName());
            assertNull(p.apiKeyName(), p.getClass().getSimpleName());
            assertNull(p.baseUrl(), p.getClass().getSimpleName());
            assertEquals(EnumSet.of(Capability.CHAT, Capability.CHAT_STREAM, Capability.LIST_MODELS), p.capabilities());
        }
        assertEquals(nativeEcho.configSchema(), wasmEcho.configSchema());
        assertEquals(nativeEcho.listModels(cfg()), wasmEcho.listModels(cfg()));
        assertEquals(nativeEcho.fromConfig(cfg().put("extra", 1)), wasmEcho.fromConfig(cfg().put("extra", 1)));
    }

    @Test
    void sameChatAnswers() {
        String big = "word ".repeat(20_000).strip(); // 100 KB: the Wasm allocator grows memory
        for (String prompt : List.of("hello from C", "h\u00e9llo \"quoted\" back\\slash\nnew line \t \u0001 \ud83c\udf89 \u4e16\u754c", big)) {
            JsonNode n = nativeEcho.chat(cfg(), NativeProviderTest.user(prompt), null);
            JsonNode w = wasmEcho.chat(cfg(), NativeProviderTest.user(prompt), null);
            assertEquals("Echo: " + prompt, n.get("text").stringValue());
            assertEquals(n, w);
        }
    }

    @Test
    void sameStreamChunks() {
        String prompt = "one two three four five";
        List<JsonNode> n = new ArrayList<>();
        List<JsonNode> w = new ArrayList<>();
        nativeEcho.chatStream(cfg(), NativeProviderTest.user(prompt), null, n::add);
        wasmEcho.chatStream(cfg(), NativeProviderTest.user(prompt), null, w::add);
        assertEquals(8, n.size(), n.toString()); // 6 words, usage, done
        assertEquals(n, w);
    }

    @Test
    void sameTypedErrors() {
        for (String prompt : List.of("fail:rate_limited", "fail:auth", "fail:plain")) {
            ProviderException n = assertThrows(ProviderException.class, () -> nativeEcho.chat(cfg(), NativeProviderTest.user(prompt), null));
            ProviderException w = assertThrows(ProviderException.class, () -> wasmEcho.chat(cfg(), NativeProviderTest.user(prompt), null));
            assertSameError(n, w);
            ProviderException ns = assertThrows(ProviderException.class,
                    () -> nativeEcho.chatStream(cfg(), NativeProviderTest.user(prompt), null, c -> { }));
            ProviderException ws = assertThrows(ProviderException.class,
                    () -> wasmEcho.chatStream(cfg(), NativeProviderTest.user(prompt), null, c -> { }));
            assertEquals(ns.providerKind(), ws.providerKind(), prompt);
        }
        Supplier<ObjectNode> noModel = () -> JSON.createObjectNode().put("modle", "x");
        ProviderException n = assertThrows(ProviderException.class, () -> nativeEcho.fromConfig(noModel.get()));
        ProviderException w = assertThrows(ProviderException.class, () -> wasmEcho.fromConfig(noModel.get()));
        assertEquals(ProviderErrorKind.INVALID_CONFIG, w.providerKind());
        assertSameError(n, w);
    }

    private static void assertSameError(ProviderException n, ProviderException w) {
        assertEquals(n.providerKind(), w.providerKind(), n.getMessage());
        assertEquals(n.getMessage(), w.getMessage());
        assertEquals(n.payload(), w.payload());
        assertEquals(n.retryAfterSeconds(), w.retryAfterSeconds());
    }

    @Test
    void theWasmBuildReusesFreedMemoryAcrossCalls() {
        // 4 MiB of linear memory at most; 300 calls of ~40 KB each would need far more if freed
        // blocks were not reused by the next call on the same (pooled) instance.
        try (WasmProvider small = WasmProvider.builder(NativeLibs.wasm(NativeLibs.ECHO)).config(cfg()).maxMemoryPages(64).poolSize(1).build()) {
            String prompt = "x".repeat(40_000);
            for (int i = 0; i < 300; i++) {
                assertEquals(40_006, small.chat(cfg(), NativeProviderTest.user(prompt), null).get("text").stringValue().length());
            }
        }
    }
}
