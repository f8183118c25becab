package dev.qmt4j.wasm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** User host functions, the legacy ABI, initialisation and linking (docs/wasm.md, "How it works"). */
class HostFunctionTest {
    static final byte[] USER = Wat.text("""
            (module
              (import "extism:host/env" "input_offset" (func $input_offset (result i64)))
              (import "extism:host/env" "length" (func $length (param i64) (result i64)))
              (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
              (import "extism:host/user" "shout" (func $shout (param i64) (result i64)))
              (func (export "call_shout") (result i32)
                (local $r i64)
                (local.set $r (call $shout (call $input_offset)))
                (call $output_set (local.get $r) (call $length (local.get $r)))
                (i32.const 0)))
            """);

    @Test
    void aUserHostFunctionReadsAndWritesExtismMemoryAndSeesTheHostContext() {
        HostFunction shout = HostFunction.of("shout", List.of(ValueType.I64), List.of(ValueType.I64),
                (ctx, args) -> new long[] {ctx.writeString(ctx.readString(args[0]).toUpperCase() + ctx.hostContext(String.class))});
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(USER).build()).hostFunction(shout).build()) {
            assertEquals("HELLO!", new String(p.call("call_shout", "hello".getBytes(UTF_8), "!"), UTF_8));
        }
    }

    @Test
    void setErrorFailsTheCallEvenWhenTheGuestReturnsZero() {
        HostFunction shout = HostFunction.of("shout", List.of(ValueType.I64), List.of(ValueType.I64), (ctx, args) -> {
            ctx.setError("{\"payload\":\"nope\"}");
            return new long[] {0};
        });
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(USER).build()).hostFunction(shout).build()) {
            PluginCallException e = assertThrows(PluginCallException.class, () -> p.call("call_shout", new byte[0]));
            assertEquals("{\"payload\":\"nope\"}", e.guestError());
        }
    }

    @Test
    void qmt4jExceptionsFromHostFunctionsPassThroughAndOthersBecomeCallErrors() {
        Qmt4jException mine = new Qmt4jException(ErrorKind.AUTH, "no key");
        HostFunction typed = HostFunction.of("shout", List.of(ValueType.I64), List.of(ValueType.I64), (ctx, args) -> {
            throw mine;
        });
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(USER).build()).hostFunction(typed).build()) {
            assertSame(mine, assertThrows(Qmt4jException.class, () -> p.call("call_shout", new byte[0])));
        }
        HostFunction broken = HostFunction.of("shout", List.of(ValueType.I64), List.of(ValueType.I64), (ctx, args) -> {
            throw new IllegalStateException("kaput");
        });
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(USER).build()).hostFunction(broken).build()) {
            PluginCallException e = assertThrows(PluginCallException.class, () -> p.call("call_shout", new byte[0]));
            assertTrue(e.getMessage().contains("extism:host/user.shout failed") && e.getMessage().contains("kaput"), e.getMessage());
        }
    }

    @Test
    void missingOrMistypedImportsFailAtLoadWithAClearMessage() {
        PluginLoadException e = assertThrows(PluginLoadException.class,
                () -> ExtismPlugin.builder(WasmManifest.builder().module(USER).build()).build());
        assertTrue(e.getMessage().contains("unresolved import extism:host/user.shout (i64) -> i64"), e.getMessage());
        HostFunction wrong = HostFunction.of("shout", List.of(ValueType.I32), List.of(ValueType.I64), (c, a) -> null);
        e = assertThrows(PluginLoadException.class,
                () -> ExtismPlugin.builder(WasmManifest.builder().module(USER).build()).hostFunction(wrong).build());
        assertTrue(e.getMessage().contains("has type (i64) -> i64"), e.getMessage());
        byte[] future = Wat.text("(module (import \"extism:host/env\" \"teleport\" (func (param i64))))");
        e = assertThrows(PluginLoadException.class, () -> ExtismPlugin.builder(WasmManifest.builder().module(future).build()).build());
        assertTrue(e.getMessage().contains("Invalid function import from extism:host/env: teleport (i64) -> ()"), e.getMessage());
        assertThrows(PluginLoadException.class,
                () -> ExtismPlugin.builder(WasmManifest.builder().module(new byte[] {1, 2, 3}).build()).build());
    }

    @Test
    void legacyEnvNamesWork() {
        byte[] legacy = Wat.text("""
                (module
                  (import "env" "extism_input_offset" (func $in (result i64)))
                  (import "env" "extism_input_length" (func $len (result i64)))
                  (import "env" "extism_output_set" (func $out (param i64 i64)))
                  (func (export "echo") (result i32) (call $out (call $in) (call $len)) (i32.const 0)))
                """);
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(legacy).build()).build()) {
            assertEquals("old", new String(p.call("echo", "old".getBytes(UTF_8)), UTF_8));
        }
    }

    @Test
    void assemblyScriptAbortTrapsWithItsMessage() {
        // "oops" as an AssemblyScript string: UTF-16LE, byte length (8) stored just before it.
        byte[] as = Wat.text("""
                (module
                  (import "env" "abort" (func $abort (param i32 i32 i32 i32)))
                  (memory 1)
                  (data (i32.const 4) "\\08\\00\\00\\00o\\00o\\00p\\00s\\00")
                  (func (export "boom") (result i32) (call $abort (i32.const 8) (i32.const 0) (i32.const 3) (i32.const 7)) (i32.const 0)))
                """);
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(as).build()).build()) {
            PluginTrapException e = assertThrows(PluginTrapException.class, () -> p.call("boom", new byte[0]));
            assertTrue(e.trapMessage().contains("abort: oops"), e.trapMessage());
        }
    }

    static final byte[] INIT = Wat.text("""
            (module
              (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
              (import "extism:host/env" "store_u8" (func $store (param i64 i32)))
              (import "extism:host/env" "output_set" (func $out (param i64 i64)))
              (global $inits (mut i32) (i32.const 0))
              (global $starts (mut i32) (i32.const 0))
              (func (export "_initialize") (global.set $inits (i32.add (global.get $inits) (i32.const 1))))
              (func (export "_start") (global.set $starts (i32.add (global.get $starts) (i32.const 1))))
              (func (export "state") (result i32)
                (local $h i64)
                (local.set $h (call $alloc (i64.const 2)))
                (call $store (local.get $h) (i32.add (i32.const 48) (global.get $inits)))
                (call $store (i64.add (local.get $h) (i64.const 1)) (i32.add (i32.const 48) (global.get $starts)))
                (call $out (local.get $h) (i64.const 2))
                (i32.const 0)))
            """);

    @Test
    void initializeRunsOnceAndStartNeverImplicitly() {
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(INIT).build()).build();
                PluginInstance i = p.instance()) {
            assertEquals("10", new String(i.call("state", new byte[0]), UTF_8));
            assertEquals("10", new String(i.call("state", new byte[0]), UTF_8));
            i.call("_start", new byte[0]);
            assertEquals("10", new String(i.call("state", new byte[0]), UTF_8), "an explicit _start call re-instantiates");
        }
    }
}
