package dev.qmt4j.wasm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WASI is opt-in and shows the guest no environment and only the allowed paths (conformance item 10 of qmt4j-wasm/README.md). */
class WasiTest {
    /** Outputs "<env count> <env bytes> <errno of opening /data/f.txt> <first byte read>". */
    static final byte[] ENV = Wat.text("""
            (module
              (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
              (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
              (import "extism:host/env" "store_u8" (func $store (param i64 i32)))
              (import "extism:host/env" "output_set" (func $out (param i64 i64)))
              (memory (export "memory") 1)
              (data (i32.const 200) "f.txt")
              (func (export "probe") (result i32)
                (local $h i64) (local $errno i32)
                (drop (call $sizes (i32.const 0) (i32.const 4)))
                ;; fd 3 is the first pre-opened directory, if any
                (local.set $errno (call $open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 5) (i32.const 0)
                                              (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 8)))
                (if (i32.eqz (local.get $errno))
                  (then
                    (i32.store (i32.const 16) (i32.const 100))
                    (i32.store (i32.const 20) (i32.const 1))
                    (drop (call $read (i32.load (i32.const 8)) (i32.const 16) (i32.const 1) (i32.const 24)))))
                (local.set $h (call $alloc (i64.const 4)))
                (call $store (local.get $h) (i32.add (i32.const 48) (i32.load (i32.const 0))))
                (call $store (i64.add (local.get $h) (i64.const 1)) (i32.add (i32.const 48) (i32.load (i32.const 4))))
                (call $store (i64.add (local.get $h) (i64.const 2)) (i32.add (i32.const 48) (local.get $errno)))
                (call $store (i64.add (local.get $h) (i64.const 3)) (i32.load8_u (i32.const 100)))
                (call $out (local.get $h) (i64.const 4))
                (i32.const 0)))
            """);

    @Test
    void wasiIsOffByDefault() {
        PluginLoadException e = assertThrows(PluginLoadException.class,
                () -> ExtismPlugin.builder(WasmManifest.builder().module(ENV).build()).build());
        assertTrue(e.getMessage().contains("WASI is off"), e.getMessage());
        assertTrue(e.hint().contains("--wasi"), e.hint());
    }

    @Test
    void theGuestSeesNoEnvironmentVariablesAndNoFilesByDefault() {
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(ENV).wasi(true).build()).build()) {
            String r = new String(p.call("probe", new byte[0]), UTF_8);
            assertEquals('0', r.charAt(0), "no environment variables");
            assertEquals('0', r.charAt(1), "no environment bytes");
            assertTrue(r.charAt(2) != '0', "no pre-opened directory");
        }
    }

    @Test
    void anAllowedPathIsReadable(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f.txt"), "Z");
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(ENV).wasi(true).allowedPath(dir, "/data").build()).build()) {
            String r = new String(p.call("probe", new byte[0]), UTF_8);
            assertEquals("000Z", r);
        }
    }
}
