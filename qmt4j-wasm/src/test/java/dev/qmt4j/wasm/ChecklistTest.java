package dev.qmt4j.wasm;

import static dev.qmt4j.wasm.KernelTest.u64s;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The items of the conformance checklist (qmt4j-wasm/README.md) that the other test
 * classes did not cover, mostly through the probe exports of the {@code kernel-edge} WAT plugin
 * (expected values from the comments in plugins/wat/kernel-edge.wat). Method names start with the
 * conformance item number; qmt4j-wasm/README.md maps every item to its tests.
 */
class ChecklistTest {
    static ExtismPlugin edge;
    static HttpServer server;
    static String base;

    @BeforeAll
    static void setUp() throws Exception {
        edge = ExtismPlugin.builder(WasmManifest.builder().module(TestPlugins.bytes(TestPlugins.KERNEL_EDGE)).build())
                .name("kernel-edge").build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/empty", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.createContext("/huge", x -> {
            long n = WasmManifest.DEFAULT_MAX_HTTP_RESPONSE_BYTES + 1;
            x.sendResponseHeaders(200, n);
            byte[] chunk = new byte[1 << 16];
            try (OutputStream o = x.getResponseBody()) {
                for (long sent = 0; sent < n; ) {
                    int k = (int) Math.min(chunk.length, n - sent);
                    o.write(chunk, 0, k);
                    sent += k;
                }
            } catch (java.io.IOException closedByClient) {
                // the host stops reading at the cap
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void tearDown() {
        edge.close();
        server.stop(0);
    }

    static long[] probe(String export, String input) {
        return u64s(edge.call(export, input.getBytes(UTF_8)));
    }

    static String text(byte[] b) {
        return new String(b, UTF_8);
    }

    static long le(String eight) {
        return ByteBuffer.wrap(eight.getBytes(UTF_8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    // ---------------------------------------------------------------- item 1

    static final String ALL_IMPORTS = """
            (import "extism:host/env" "alloc" (func (param i64) (result i64)))
            (import "extism:host/env" "free" (func (param i64)))
            (import "extism:host/env" "length" (func (param i64) (result i64)))
            (import "extism:host/env" "length_unsafe" (func (param i64) (result i64)))
            (import "extism:host/env" "load_u8" (func (param i64) (result i32)))
            (import "extism:host/env" "load_u64" (func (param i64) (result i64)))
            (import "extism:host/env" "store_u8" (func (param i64 i32)))
            (import "extism:host/env" "store_u64" (func (param i64 i64)))
            (import "extism:host/env" "input_length" (func (result i64)))
            (import "extism:host/env" "input_offset" (func (result i64)))
            (import "extism:host/env" "input_load_u8" (func (param i64) (result i32)))
            (import "extism:host/env" "input_load_u64" (func (param i64) (result i64)))
            (import "extism:host/env" "input_set" (func (param i64 i64)))
            (import "extism:host/env" "output_set" (func (param i64 i64)))
            (import "extism:host/env" "output_length" (func (result i64)))
            (import "extism:host/env" "output_offset" (func (result i64)))
            (import "extism:host/env" "error_set" (func (param i64)))
            (import "extism:host/env" "error_get" (func (result i64)))
            (import "extism:host/env" "reset" (func))
            (import "extism:host/env" "memory_bytes" (func (result i64)))
            (import "extism:host/env" "config_get" (func (param i64) (result i64)))
            (import "extism:host/env" "var_get" (func (param i64) (result i64)))
            (import "extism:host/env" "var_set" (func (param i64 i64)))
            (import "extism:host/env" "http_request" (func (param i64 i64) (result i64)))
            (import "extism:host/env" "http_status_code" (func (result i32)))
            (import "extism:host/env" "http_headers" (func (result i64)))
            (import "extism:host/env" "log_trace" (func (param i64)))
            (import "extism:host/env" "log_debug" (func (param i64)))
            (import "extism:host/env" "log_info" (func (param i64)))
            (import "extism:host/env" "log_warn" (func (param i64)))
            (import "extism:host/env" "log_error" (func (param i64)))
            (import "extism:host/env" "get_log_level" (func (result i32)))
            """;

    @Test
    void item1_all20KernelFunctionsAnd12BuiltinsLinkWithTheReferenceTypes() {
        byte[] wasm = Wat.text("(module\n" + ALL_IMPORTS + "(func (export \"f\") (result i32) (i32.const 0)))");
        assertEquals(32, ALL_IMPORTS.lines().count());
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(wasm).build()).build()) {
            assertArrayEquals(new byte[0], p.call("f", new byte[0]));
        }
        // kernel-edge (all 20 kernel functions + 7 built-ins) loads and runs
        assertEquals("ok!!", text(edge.call("void_export", new byte[0])));
        // a known name with another type is rejected at load (u8 is i32, handles are i64)
        byte[] wrong = Wat.text("(module (import \"extism:host/env\" \"load_u8\" (func (param i64) (result i64))))");
        PluginLoadException e = assertThrows(PluginLoadException.class,
                () -> ExtismPlugin.builder(WasmManifest.builder().module(wrong).build()).build());
        assertTrue(e.getMessage().contains("load_u8"), e.getMessage());
    }

    // ---------------------------------------------------------------- item 2

    @Test
    void item2_allocZeroIsNull() {
        assertArrayEquals(new long[] {0}, probe("alloc_zero", ""));
    }

    @Test
    void item2_lengthIsExactZeroForNullInteriorAndUnknown() {
        assertArrayEquals(new long[] {0, 0, 16, 16, 0, 0, 0, 0}, probe("length_edges", ""));
    }

    @Test
    void item2_contiguousUnalignedLoadsAndStoresAndOutOfRangeIsZeroOrIgnored() {
        assertArrayEquals(new long[] {0x0102030405060708L, 8, 1, 255, 0, 0, 0, 0}, probe("load_store_edges", ""));
    }

    @Test
    void item2_freedDataStaysReadableUntilResetAndDoubleFreeIsHarmless() {
        assertEquals("freed", text(edge.call("output_freed", new byte[0])));
        assertEquals("ok!!", text(edge.call("double_free", new byte[0])), "rc 2 would mean length(freed) != 0");
    }

    @Test
    void item2_handlesStayBelow2To31AndLengthsExactAcrossManyBlocks() {
        byte[] wasm = Wat.text("""
                (module
                  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
                  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
                  (import "extism:host/env" "store_u64" (func $store (param i64 i64)))
                  (import "extism:host/env" "output_set" (func $out (param i64 i64)))
                  ;; 40 blocks of 1 MiB + 1: [max handle, 1 if every length was exact else 0]
                  (func (export "many") (result i32) (local $i i32) (local $h i64) (local $max i64) (local $ok i64) (local $o i64)
                    (local.set $ok (i64.const 1))
                    (block $d (loop $l
                      (br_if $d (i32.ge_u (local.get $i) (i32.const 40)))
                      (local.set $h (call $alloc (i64.const 1048577)))
                      (if (i64.gt_u (local.get $h) (local.get $max)) (then (local.set $max (local.get $h))))
                      (if (i64.ne (call $length (local.get $h)) (i64.const 1048577)) (then (local.set $ok (i64.const 0))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br $l)))
                    (local.set $o (call $alloc (i64.const 16)))
                    (call $store (local.get $o) (local.get $max))
                    (call $store (i64.add (local.get $o) (i64.const 8)) (local.get $ok))
                    (call $out (local.get $o) (i64.const 16))
                    (i32.const 0)))
                """);
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(wasm).build()).build()) {
            long[] r = u64s(p.call("many", new byte[0]));
            assertTrue(r[0] > 39L * 1048577 && r[0] < (1L << 31), "max handle " + r[0]);
            assertEquals(1, r[1], "every block has its exact length");
        }
    }

    // ---------------------------------------------------------------- item 3

    @Test
    void item3_inputIsACopyInABlockAndInputLoadsAreBoundsChecked() {
        assertArrayEquals(new long[] {10, 'a', 'j', 0, le("abcdefgh"), le("cdefghij"), 0, 10, 'b'},
                probe("input_edges", "abcdefghij"));
        assertArrayEquals(new long[] {0, 0}, probe("free_input", "abc"), "freeing the input block empties the input");
    }

    @Test
    void item3_outputIsLenBytesAtTheRecordedAddressInteriorAllowedIgnoredSetsKeepTheEarlierOne() {
        assertEquals("23456", text(edge.call("output_interior", new byte[0])));
        assertEquals("keep", text(edge.call("output_keep", new byte[0])));
        assertEquals("", text(edge.call("output_out_of_range", new byte[0])));
        assertArrayEquals(new long[] {3, 1}, probe("output_registers", ""));
    }

    @Test
    void item3_resetClearsBlocksAndInputAndEveryCallStartsFresh() {
        assertArrayEquals(new long[] {0, 0}, probe("reset_probe", "some input"));
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 'z'}, probe("alloc_input_set", "ignored"));
        // the previous call's input_set does not leak: the next call sees its own input
        assertArrayEquals(new long[] {10, 'a', 'j', 0, le("abcdefgh"), le("cdefghij"), 0, 10, 'b'},
                probe("input_edges", "abcdefghij"));
    }

    @Test
    void item3_errorSetAndClearedErrors() {
        assertEquals("ok!!", text(edge.call("error_cleared", new byte[0])), "error_set(0) clears: success");
        assertArrayEquals(new long[] {1, 0}, probe("error_get_probe", ""));
        // Reference: a freed error block is lost ("Returned non-zero exit code: 1"); qmt4j captures the
        // length at error_set and reports the message (error_set of Extism's kernel; the documented superset).
        PluginCallException e = assertThrows(PluginCallException.class, () -> edge.call("error_freed", new byte[0]));
        assertEquals("freed error", e.guestError());
        assertEquals(1, e.returnCode());
    }

    @Test
    void item3_onlyNoArgumentExportsReturningI32OrNothingAreCallable() {
        assertEquals("ok!!", text(edge.call("void_export", new byte[0])));
        assertFalse(edge.functionExists("two_results"));
        assertFalse(edge.functionExists("with_param"));
        assertTrue(edge.functionExists("void_export"));
        assertThrows(PluginCallException.class, () -> edge.call("two_results", new byte[0]));
        assertThrows(PluginCallException.class, () -> edge.call("with_param", new byte[0]));
    }

    // ---------------------------------------------------------------- item 4

    @Test
    void item4_builtinsFreeTheirHandleArgumentsUserHostFunctionsDoNot() {
        byte[] wasm = Wat.text("""
                (module
                  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
                  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
                  (import "extism:host/env" "store_u64" (func $store (param i64 i64)))
                  (import "extism:host/env" "output_set" (func $out (param i64 i64)))
                  (import "extism:host/env" "log_info" (func $log_info (param i64)))
                  (import "extism:host/env" "var_get" (func $var_get (param i64) (result i64)))
                  (import "extism:host/user" "peek" (func $peek (param i64)))
                  ;; [length after user fn, after log_info (filtered out), after var_get]
                  (func (export "frees") (result i32) (local $a i64) (local $b i64) (local $c i64) (local $o i64)
                    (local.set $a (call $alloc (i64.const 3)))
                    (local.set $b (call $alloc (i64.const 3)))
                    (local.set $c (call $alloc (i64.const 3)))
                    (call $peek (local.get $a))
                    (call $log_info (local.get $b))
                    (drop (call $var_get (local.get $c)))
                    (local.set $o (call $alloc (i64.const 24)))
                    (call $store (local.get $o) (call $length (local.get $a)))
                    (call $store (i64.add (local.get $o) (i64.const 8)) (call $length (local.get $b)))
                    (call $store (i64.add (local.get $o) (i64.const 16)) (call $length (local.get $c)))
                    (call $out (local.get $o) (i64.const 24))
                    (i32.const 0)))
                """);
        List<Long> seen = new ArrayList<>();
        HostFunction peek = HostFunction.of("peek", List.of(ValueType.I64), List.of(), (ctx, args) -> {
            seen.add(args[0]);
            return null;
        });
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(wasm).build()).hostFunction(peek)
                .logLevel(LogLevel.ERROR).build()) {
            assertArrayEquals(new long[] {3, 0, 0}, u64s(p.call("frees", new byte[0])));
            assertEquals(1, seen.size());
        }
    }

    // ---------------------------------------------------------------- items 5, 6

    @Test
    void item5_varStoreDefaultLimitIsOneMiBWithTheReferenceAccounting() {
        assertEquals(1_048_576L, WasmManifest.DEFAULT_MAX_VAR_BYTES);
        // 48 + key (1) + value <= 1 MiB
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(TestPlugins.bytes(TestPlugins.KITCHEN_SINK))
                .build()).build(); PluginInstance i = p.instance()) {
            i.call("var_fill", "k=1048527".getBytes(UTF_8));
            assertEquals(1_048_527, i.call("var_get", "k".getBytes(UTF_8)).length);
            i.call("var_set", "k=".getBytes(UTF_8)); // empty value: var_set(k, 0) deletes
            assertEquals("<missing>", text(i.call("var_get", "k".getBytes(UTF_8))));
            PluginSandboxException e = assertThrows(PluginSandboxException.class,
                    () -> i.call("var_fill", "k=1048528".getBytes(UTF_8)));
            assertEquals(PluginSandboxException.Reason.VAR_STORE, e.reason());
            assertEquals("Variable store is full", e.getMessage());
        }
    }

    @Test
    void item5_item6_varDeleteAndBuiltinsReturnZeroForNullOrAbsent() {
        assertArrayEquals(new long[] {1, 0}, probe("var_delete", ""));
        assertArrayEquals(new long[] {0, 0, 0, 0, 0}, probe("builtin_edges", ""));
        PluginCallException e = assertThrows(PluginCallException.class, () -> edge.call("config_bad_handle", new byte[0]));
        assertTrue(e.getMessage().startsWith("invalid handle offset for config key: "), e.getMessage());
    }

    // ---------------------------------------------------------------- item 7

    @Test
    void item7_emptyResponseBodyIsHandleZeroAndStatusIsRecorded() {
        byte[] wasm = Wat.text("""
                (module
                  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
                  (import "extism:host/env" "input_offset" (func $in (result i64)))
                  (import "extism:host/env" "store_u64" (func $store (param i64 i64)))
                  (import "extism:host/env" "output_set" (func $out (param i64 i64)))
                  (import "extism:host/env" "http_request" (func $http (param i64 i64) (result i64)))
                  (import "extism:host/env" "http_status_code" (func $status (result i32)))
                  ;; [response handle, status]
                  (func (export "req") (result i32) (local $r i64) (local $o i64)
                    (local.set $r (call $http (call $in) (i64.const 0)))
                    (local.set $o (call $alloc (i64.const 16)))
                    (call $store (local.get $o) (local.get $r))
                    (call $store (i64.add (local.get $o) (i64.const 8)) (i64.extend_i32_u (call $status)))
                    (call $out (local.get $o) (i64.const 16))
                    (i32.const 0)))
                """);
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(wasm).allowedHost("127.0.0.1").build()).build()) {
            assertArrayEquals(new long[] {0, 200},
                    u64s(p.call("req", ("{\"url\":\"" + base + "/empty\"}").getBytes(UTF_8))));
        }
    }

    @Test
    void item7_defaultResponseLimitIs50MiB() {
        assertEquals(50L * 1024 * 1024, WasmManifest.DEFAULT_MAX_HTTP_RESPONSE_BYTES);
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(Wat.resource("kernel")).allowedHost("127.0.0.1")
                .build()).build()) {
            PluginSandboxException e = assertThrows(PluginSandboxException.class,
                    () -> p.call("http", ("{\"url\":\"" + base + "/huge\"}").getBytes(UTF_8)));
            assertEquals(PluginSandboxException.Reason.HTTP_RESPONSE_SIZE, e.reason());
            assertEquals("HTTP response exceeds the configured maximum number of bytes: 52428800", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- item 8

    @Test
    void item8_logBuiltinsFilterByLevelAndGetLogLevelReportsZeroToFour() {
        for (LogLevel level : List.of(LogLevel.TRACE, LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR)) {
            List<String> lines = new ArrayList<>();
            try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(TestPlugins.bytes(TestPlugins.KERNEL_EDGE))
                    .build()).logLevel(level).logSink((l, n, m) -> lines.add(l + " " + m)).build()) {
                assertArrayEquals(new long[] {level.extismValue()}, u64s(p.call("log_level", new byte[0])));
                assertEquals(level == LogLevel.TRACE ? List.of("TRACE trace message") : List.of(), lines);
            }
        }
        List<String> lines = new ArrayList<>();
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(TestPlugins.bytes(TestPlugins.KITCHEN_SINK))
                .build()).logLevel(LogLevel.WARN).logSink((l, n, m) -> lines.add(l + " " + m)).build()) {
            assertEquals("logged", text(p.call("log_all", "x".getBytes(UTF_8))));
        }
        assertEquals(List.of("WARN kitchen-sink warn: x", "ERROR kitchen-sink error: x"), lines);
        assertEquals(0, LogLevel.TRACE.extismValue());
        assertEquals(4, LogLevel.ERROR.extismValue());
        assertEquals(Integer.MAX_VALUE, LogLevel.OFF.extismValue());
    }

    // ---------------------------------------------------------------- item 9

    static long[] probeOf(String plugin) {
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(TestPlugins.bytes(plugin)).build()).build();
                PluginInstance i = p.instance()) {
            long[] first = u64s(i.call("probe", new byte[0]));
            assertArrayEquals(first, u64s(i.call("probe", new byte[0])), "initialisation runs once per instance");
            return first;
        }
    }

    @Test
    void item9_initializeOnceAndStartNever() {
        assertArrayEquals(new long[] {1, 0}, probeOf(TestPlugins.START_ONLY));
    }

    @Test
    void item9_wasmCallCtorsInsteadOfInitialize() {
        assertArrayEquals(new long[] {1, 0}, probeOf(TestPlugins.CTORS_INIT));
    }

    static String initOrder(String exports) {
        byte[] wasm = Wat.text("""
                (module
                  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
                  (import "extism:host/env" "store_u64" (func $store (param i64 i64)))
                  (import "extism:host/env" "output_set" (func $out (param i64 i64)))
                  (global $seq (mut i64) (i64.const 0))
                  (func $mark (param $id i64) (global.set $seq (i64.add (i64.mul (global.get $seq) (i64.const 10)) (local.get $id))))
                """ + exports + """
                  (func (export "probe") (result i32) (local $o i64)
                    (local.set $o (call $alloc (i64.const 8)))
                    (call $store (local.get $o) (global.get $seq))
                    (call $out (local.get $o) (i64.const 8))
                    (i32.const 0)))
                """);
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(wasm).build()).build()) {
            return Long.toString(u64s(p.call("probe", new byte[0]))[0]);
        }
    }

    @Test
    void item9_hsInitAfterInitializeAndCtorsWithTheWrongTypeStopInitialisation() {
        String init = "(func (export \"_initialize\") (call $mark (i64.const 1)))\n";
        String hs = "(func (export \"hs_init\") (param i32 i32) (call $mark (i64.const 2)))\n";
        String ctors = "(func (export \"__wasm_call_ctors\") (call $mark (i64.const 3)))\n";
        String badCtors = "(func (export \"__wasm_call_ctors\") (param i32) (call $mark (i64.const 3)))\n";
        String start = "(func (export \"_start\") (call $mark (i64.const 4)))\n";
        assertEquals("12", initOrder(init + hs + ctors + start), "hs_init wins, after _initialize; no ctors, no _start");
        assertEquals("3", initOrder(init + ctors + start), "__wasm_call_ctors, never both");
        assertEquals("0", initOrder(init + badCtors), "a mistyped __wasm_call_ctors stops initialisation");
        assertEquals("1", initOrder(init + start));
        assertEquals("0", initOrder(start), "_start is never implicit");
    }

    // ---------------------------------------------------------------- item 10

    @Test
    void item10_wasiAllowedPathIsPreOpenedForACPlugin(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f.txt"), "from the host");
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(TestPlugins.bytes(TestPlugins.WASI_ENV)).wasi(true)
                .allowedPath(dir, "/data").build()).build()) {
            assertEquals("{\"ok\":true,\"content\":\"from the host\"}", text(p.call("read_file", "/data/f.txt".getBytes(UTF_8))));
            assertEquals("{\"errno\":0,\"count\":0,\"bytes\":0}", text(p.call("env_count", new byte[0])));
        }
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(TestPlugins.bytes(TestPlugins.WASI_ENV)).wasi(true)
                .build()).build()) {
            assertEquals("{\"ok\":false,\"errno\":44,\"preopens\":0}", text(p.call("read_file", "/data/f.txt".getBytes(UTF_8))));
        }
    }

    @Test
    void item10_readOnlyPathsAreRefusedClearlyNotSilentlyWritable(@TempDir Path dir) {
        // Known gap: the reference mounts "ro:" paths read-only; qmt4j does not support them yet and
        // refuses to load rather than granting write access.
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> ExtismPlugin.builder(WasmManifest.builder()
                .module(TestPlugins.bytes(TestPlugins.WASI_ENV)).wasi(true).allowedPath(Path.of("ro:" + dir), "/data").build())
                .build().call("env_count", new byte[0]));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }

    // ---------------------------------------------------------------- item 11

    @Test
    void item11_aShortDeadlineArmedWhileALongerOneIsPendingStillFires() {
        // the outer call (60 s deadline) is in flight when the inner call (200 ms) spins: the watchdog
        // must wake for the earlier deadline, and the outer call must be unaffected
        byte[] outerWasm = Wat.text("""
                (module
                  (import "extism:host/user" "inner" (func $inner))
                  (func (export "outer") (result i32) (call $inner) (i32.const 0)))
                """);
        try (ExtismPlugin inner = ExtismPlugin.builder(WasmManifest.builder().module(Wat.resource("kernel"))
                .timeout(Duration.ofMillis(200)).build()).build()) {
            PluginTimeoutException[] seen = new PluginTimeoutException[1];
            HostFunction call = HostFunction.of("inner", List.of(), List.of(), (ctx, args) -> {
                seen[0] = assertThrows(PluginTimeoutException.class, () -> inner.call("spin", new byte[0]));
                return null;
            });
            try (ExtismPlugin outer = ExtismPlugin.builder(WasmManifest.builder().module(outerWasm).timeout(Duration.ofSeconds(60))
                    .build()).hostFunction(call).build()) {
                assertArrayEquals(new byte[0], outer.call("outer", new byte[0]));
                assertEquals(Duration.ofMillis(200), seen[0].timeout());
                assertFalse(Thread.currentThread().isInterrupted());
            }
        }
    }

    @Test
    void item11_assemblyScriptRunawayLoopTimesOutAndMemoryBombsHitTheSharedBudget() {
        WasmManifest.Builder m = WasmManifest.builder().module(TestPlugins.bytes(TestPlugins.KITCHEN_SINK))
                .timeout(Duration.ofMillis(300)).maxPages(64);
        try (ExtismPlugin p = ExtismPlugin.builder(m.build()).poolSize(1).build()) {
            PluginTimeoutException t = assertThrows(PluginTimeoutException.class, () -> p.call("infinite_loop", new byte[0]));
            assertTrue(t.getMessage().startsWith("timeout"), t.getMessage());
            // memory.grow beyond the budget traps with "oom" (not -1): the guest's own message never appears
            PluginSandboxException grow = assertThrows(PluginSandboxException.class, () -> p.call("memory_bomb", new byte[0]));
            assertEquals(PluginSandboxException.Reason.MEMORY, grow.reason());
            assertTrue(grow.getMessage().startsWith("oom"), grow.getMessage());
            // kernel alloc beyond the budget: "oom" too, not alloc() == 0
            PluginSandboxException alloc = assertThrows(PluginSandboxException.class, () -> p.call("alloc_bomb", new byte[0]));
            assertEquals(PluginSandboxException.Reason.MEMORY, alloc.reason());
            assertEquals("still here", text(p.call("echo", "still here".getBytes(UTF_8))));
        }
    }
}
