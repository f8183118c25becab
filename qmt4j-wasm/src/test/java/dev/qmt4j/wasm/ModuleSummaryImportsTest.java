package dev.qmt4j.wasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ModuleSummary#importsOf}: the imports {@link ModuleSummary#of} lists, from the import section alone. */
class ModuleSummaryImportsTest {
    private static final String MODULE = """
            (module
              (import "extism:host/env" "alloc" (func (param i64) (result i64)))
              (import "extism:host/user" "qmt_yield_chunk" (func (param i64)))
              (import "env" "memory" (memory 1))
              (func (export "f") (result i32) i32.const 7))
            """;

    @Test
    void listsTheImportsAsTheFullSummaryDoes() {
        byte[] wasm = Wat.text(MODULE);
        List<ModuleSummary.Item> imports = ModuleSummary.importsOf(wasm);
        assertEquals(ModuleSummary.of(wasm).imports(), imports);
        assertEquals(List.of(
                new ModuleSummary.Item("extism:host/env", "alloc", "function", "(i64) -> i64"),
                new ModuleSummary.Item("extism:host/user", "qmt_yield_chunk", "function", "(i64) -> ()"),
                new ModuleSummary.Item("env", "memory", "memory", null)), imports);
    }

    @Test
    void functionBodiesAreNeitherDecodedNorValidated() {
        byte[] wasm = Wat.text(MODULE).clone();
        // f's body "i32.const 7; end" becomes "i64.const 7; end": well-formed, but f must return an i32.
        int at = indexOf(wasm, new byte[] {0x41, 0x07, 0x0b});
        assertTrue(at > 0, "body of f not found");
        wasm[at] = 0x42;
        assertThrows(PluginLoadException.class, () -> ModuleSummary.of(wasm));
        assertEquals(ModuleSummary.of(Wat.text(MODULE)).imports(), ModuleSummary.importsOf(wasm));
    }

    @Test
    void notAModuleIsALoadError() {
        PluginLoadException e = assertThrows(PluginLoadException.class,
                () -> ModuleSummary.importsOf("not wasm".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().startsWith("not a valid WebAssembly module"), e.getMessage());
    }

    private static int indexOf(byte[] b, byte[] pattern) {
        outer:
        for (int i = 0; i <= b.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (b[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
