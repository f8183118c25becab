package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testkit.Wat2Wasm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qmt4j wasm call|inspect} in-process on a small WAT plugin (compiled with wabt's wat2wasm). */
class WasmCommandTest {
    static final String WAT = """
            (module
              (import "extism:host/env" "input_offset" (func $in (result i64)))
              (import "extism:host/env" "input_length" (func $len (result i64)))
              (import "extism:host/env" "output_set" (func $out (param i64 i64)))
              (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
              (import "extism:host/env" "store_u8" (func $store (param i64 i32)))
              (import "extism:host/env" "load_u8" (func $load (param i64) (result i32)))
              (import "extism:host/env" "config_get" (func $config (param i64) (result i64)))
              (import "extism:host/env" "length" (func $length (param i64) (result i64)))
              (import "extism:host/env" "error_set" (func $error (param i64)))
              (import "extism:host/env" "var_get" (func $var_get (param i64) (result i64)))
              (import "extism:host/env" "var_set" (func $var_set (param i64 i64)))
              (memory (export "memory") 1)
              (func (export "echo") (result i32) (call $out (call $in) (call $len)) (i32.const 0))
              ;; config value for the key given as input
              (func (export "config") (result i32)
                (local $v i64)
                (local.set $v (call $config (call $in)))
                (call $out (local.get $v) (call $length (local.get $v)))
                (i32.const 0))
              ;; the input as the error message
              (func (export "fail") (result i32) (call $error (call $in)) (i32.const 1))
              ;; a one-byte counter in var named by the input: outputs '1', '2', ...
              (func (export "count") (result i32)
                (local $v i64) (local $n i32) (local $h i64)
                (local.set $v (call $var_get (call $copy_input)))
                (local.set $n (i32.const 48))
                (if (i64.ne (local.get $v) (i64.const 0)) (then (local.set $n (call $load (local.get $v)))))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (local.set $h (call $alloc (i64.const 1)))
                (call $store (local.get $h) (local.get $n))
                (call $var_set (call $copy_input) (local.get $h))
                (call $out (local.get $h) (i64.const 1))
                (i32.const 0))
              (func $copy_input (result i64)
                (local $h i64) (local $i i64)
                (local.set $h (call $alloc (call $len)))
                (block $d (loop $l
                  (br_if $d (i64.ge_u (local.get $i) (call $len)))
                  (call $store (i64.add (local.get $h) (local.get $i)) (call $load (i64.add (call $in) (local.get $i))))
                  (local.set $i (i64.add (local.get $i) (i64.const 1)))
                  (br $l)))
                (local.get $h))
              (func (export "spin") (result i32) (loop $l (br $l)) (i32.const 0))
              (func (export "chat_request") (result i32) (i32.const 0))
            )
            """;

    @TempDir
    static Path dir;
    static Path wasm;

    @BeforeAll
    static void compile() throws Exception {
        wasm = Files.write(dir.resolve("plugin.wasm"), Wat2Wasm.compile(WAT));
    }

    Cli cli() {
        return new Cli(dir.resolve("cache"));
    }

    @Test
    void callPrintsTheOutputAndANewline() {
        Cli.Result r = cli().run("wasm", "call", wasm.toString(), "echo", "--input", "hello");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("hello\n", r.out().replace("\r\n", "\n"));
    }

    @Test
    void configEntriesReachTheGuest() {
        Cli.Result r = cli().run("wasm", "call", wasm.toString(), "config", "--input", "k", "-c", "k=v=1");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("v=1\n", r.out().replace("\r\n", "\n"));
    }

    @Test
    void configIsSpeltAsInExtismCall() {
        Cli.Result r = cli().run("wasm", "call", wasm.toString(), "config", "--input", "k", "--config", "k=from-extism-spelling");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("from-extism-spelling\n", r.out().replace("\r\n", "\n"));
        // the root's --config FILE still parses before the command (wasm call reads no config file)
        Cli.Result rooted = cli().run("--config", "providers.toml", "wasm", "call", wasm.toString(), "config", "--input", "k", "-c", "k=v");
        assertEquals(0, rooted.exitCode(), rooted.toString());
        assertEquals("v\n", rooted.out().replace("\r\n", "\n"));
    }

    @Test
    void loopCallsOneInstanceSoVarsPersist() {
        Cli.Result r = cli().run("wasm", "call", wasm.toString(), "count", "--input", "n", "--loop", "3");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("1\n2\n3\n", r.out().replace("\r\n", "\n"));
    }

    @Test
    void aPluginErrorGoesToStderrWithThePluginExitCode() {
        Cli.Result r = cli().run("wasm", "call", wasm.toString(), "fail", "--input", "it broke");
        assertEquals(ErrorKind.PLUGIN.exitCode(), r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().contains("error: it broke"), r.toString());
    }

    @Test
    void aRunawayCallTimesOut() {
        Cli.Result r = cli().run("wasm", "call", wasm.toString(), "spin", "--timeout-ms", "100");
        assertEquals(ErrorKind.PLUGIN.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().contains("timeout"), r.toString());
    }

    @Test
    void aMissingExportIsNamed() {
        Cli.Result r = cli().run("wasm", "call", wasm.toString(), "nope");
        assertEquals(ErrorKind.PLUGIN.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().contains("Function not found: nope") && r.err().contains("echo"), r.toString());
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(ErrorKind.USAGE.exitCode(), cli().run("wasm", "call", wasm.toString(), "echo", "--plugin-config", "novalue").exitCode());
        assertEquals(ErrorKind.USAGE.exitCode(), cli().run("wasm", "call", wasm.toString(), "echo", "--log-level", "loud").exitCode());
        assertEquals(ErrorKind.NOT_FOUND.exitCode(), cli().run("wasm", "call", dir.resolve("none.wasm").toString(), "echo").exitCode());
    }

    @Test
    void inspectListsImportsExportsAndAbi() {
        Cli.Result r = cli().run("wasm", "inspect", wasm.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("abi:     extism (imports extism:host/env)"), r.out());
        assertTrue(r.out().contains("  extism:host/env\n    input_offset () -> i64"), r.out());
        assertTrue(r.out().contains("  echo () -> i32"), r.out());
        assertTrue(r.out().contains("  memory (memory)"), r.out());
    }
}
