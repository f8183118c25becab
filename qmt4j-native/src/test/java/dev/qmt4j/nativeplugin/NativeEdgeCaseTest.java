package dev.qmt4j.nativeplugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.provider.Capability;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The host's handling of odd but legal, and broken, plugin answers (fixture src/test/c/odd_plugin.c). */
class NativeEdgeCaseTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void oddPlugin() {
        try (NativeProvider p = NativeProvider.load(NativeLibs.lib("odd_plugin"))) {
            ObjectNode cfg = JSON.createObjectNode();
            assertEquals("odd", p.name(), "a bare string name is tolerated");
            assertEquals("ODD_API_KEY", p.apiKeyName());
            assertNull(p.baseUrl(), "base_url not implemented → null");
            assertEquals(EnumSet.complementOf(EnumSet.of(Capability.CHAT_STREAM)), p.capabilities(),
                    "chat_stream without qmt4j_chat_stream is dropped; unknown names ignored");
            assertEquals("object", p.configSchema().get("type").stringValue(), "a schema given as a JSON string is decoded");
            assertEquals(cfg, p.fromConfig(cfg), "no from_config → cfg unchanged");
            assertEquals(List.of("m1", "m2"), p.listModels(cfg));
            float[][] v = p.embed(cfg, List.of("a", "b"));
            assertArrayEquals(new float[] {1.5f, 2f}, v[0]);
            assertArrayEquals(new float[] {3f}, v[1]);
            assertNull(p.chat(cfg, JSON.createArrayNode(), null), "an empty output is null");

            ProviderException bad = assertThrows(ProviderException.class, () -> p.complete(cfg, JSON.createObjectNode()));
            assertEquals(ProviderErrorKind.PLUGIN_ERROR, bad.providerKind());
            assertTrue(bad.getMessage().contains("complete returned invalid JSON"), bad.getMessage());

            ProviderException notStructured = assertThrows(ProviderException.class, () -> p.transcribe(cfg, JSON.createObjectNode()));
            assertEquals(ProviderErrorKind.PLUGIN_ERROR, notStructured.providerKind());
            assertEquals("plugin transcribe failed: {\"oops\":true}", notStructured.getMessage());

            ProviderException code5 = assertThrows(ProviderException.class, () -> p.speech(cfg, JSON.createObjectNode()));
            assertEquals(ProviderErrorKind.PLUGIN_ERROR, code5.providerKind());
            assertEquals("plugin speech failed: return code 5", code5.getMessage());

            ProviderException stream = assertThrows(ProviderException.class, () -> p.chatStream(cfg, JSON.createArrayNode(), null, c -> {}));
            assertEquals(ProviderErrorKind.UNSUPPORTED, stream.providerKind());
            JsonNode none = null;
            assertEquals(ProviderErrorKind.UNSUPPORTED, assertThrows(ProviderException.class, () -> p.call("teleport", none)).providerKind());
        }
    }
}
