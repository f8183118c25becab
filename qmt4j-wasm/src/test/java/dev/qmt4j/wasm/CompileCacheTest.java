package dev.qmt4j.wasm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiled classes are written to the compile cache directory and the result runs the same. */
class CompileCacheTest {
    @Test
    void compiledClassesArePersistedByModuleDigest(@TempDir Path dir) throws Exception {
        byte[] wasm = Wat.text("""
                (module
                  (import "extism:host/env" "input_offset" (func $in (result i64)))
                  (import "extism:host/env" "input_length" (func $len (result i64)))
                  (import "extism:host/env" "output_set" (func $out (param i64 i64)))
                  (func (export "echo") (result i32) (call $out (call $in) (call $len)) (i32.const 0))
                  (func (export "unique_to_compile_cache_test") (result i32) (i32.const 0)))
                """);
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(wasm).build()).compileCacheDir(dir).build()) {
            assertEquals(Engine.COMPILER, p.engine());
            assertEquals("abc", new String(p.call("echo", "abc".getBytes(UTF_8)), UTF_8));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".classes")), "a cache entry was written");
        }
    }

    @Test
    void theInterpreterGivesTheSameResults() {
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(Wat.resource("kernel")).build())
                .engine(Engine.INTERPRETER).build()) {
            assertEquals(Engine.INTERPRETER, p.engine());
            assertEquals("same", new String(p.call("echo", "same".getBytes(UTF_8)), UTF_8));
            assertEquals(5, KernelTest.u64s(p.call("lengths", new byte[0]))[0]);
        }
    }
}
