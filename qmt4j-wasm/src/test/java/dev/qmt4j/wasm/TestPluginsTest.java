package dev.qmt4j.wasm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.testplugins.TestPlugins;
import org.junit.jupiter.api.Test;

/** qmt4j-testplugins' plugins built from source: the AssemblyScript (as-pdk 1.0.0) kitchen-sink. */
class TestPluginsTest {
    static ExtismPlugin kitchenSink() {
        return ExtismPlugin.builder(WasmManifest.builder().module(TestPlugins.bytes(TestPlugins.KITCHEN_SINK)).build()).build();
    }

    @Test
    void assemblyScriptPluginEchoesAndCountsVowelsWithVarsOnOneInstance() {
        try (ExtismPlugin p = kitchenSink(); PluginInstance i = p.instance()) {
            assertEquals("héllo", new String(p.call("echo", "héllo".getBytes(UTF_8)), UTF_8));
            assertEquals("{\"count\":4,\"total\":4,\"vowels\":\"aeiouAEIOU\"}",
                    new String(i.call("count_vowels", "Hello World!o".getBytes(UTF_8)), UTF_8));
            assertEquals("{\"count\":4,\"total\":8,\"vowels\":\"aeiouAEIOU\"}",
                    new String(i.call("count_vowels", "Hello World!o".getBytes(UTF_8)), UTF_8));
        }
    }

    @Test
    void assemblyScriptErrorsAndAbort() {
        try (ExtismPlugin p = kitchenSink()) {
            PluginCallException e = assertThrows(PluginCallException.class, () -> p.call("fail", new byte[0]));
            assertEquals("kitchen-sink: deliberate failure", e.guestError());
            assertThrows(PluginCallException.class, () -> p.call("fail_rc0", new byte[0]));
            PluginException panic = assertThrows(PluginException.class, () -> p.call("panic", new byte[0]));
            assertTrue(panic.getMessage().contains("kitchen-sink panic"), panic.getMessage());
        }
    }
}
