package dev.qmt4j.wasm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Timeouts, memory caps, vars and concurrency (conformance items 5 and 11 of qmt4j-wasm/README.md). */
class LimitsTest {
    static WasmManifest.Builder kernel() {
        return WasmManifest.builder().module(Wat.resource("kernel"));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anInfiniteLoopHitsTheTimeoutAndThePluginStaysUsable(Engine engine) {
        try (ExtismPlugin p = ExtismPlugin.builder(kernel().timeout(Duration.ofMillis(200)).build()).engine(engine)
                .poolSize(1).build()) {
            assertEquals(engine, p.engine());
            PluginTimeoutException e = assertThrows(PluginTimeoutException.class, () -> p.call("spin", new byte[0]));
            assertEquals(Duration.ofMillis(200), e.timeout());
            assertEquals(ErrorKind.PLUGIN, e.kind());
            assertTrue(e.getMessage().startsWith("timeout"), e.getMessage());
            assertTrue(!Thread.currentThread().isInterrupted(), "the deadline's interrupt must not leak to the caller");
            assertEquals("alive", new String(p.call("echo", "alive".getBytes(UTF_8)), UTF_8));
        }
    }

    @Test
    void interruptingTheCallerCancelsTheCall() throws Exception {
        try (ExtismPlugin p = ExtismPlugin.builder(kernel().timeout(Duration.ZERO).build()).build()) {
            Thread caller = Thread.currentThread();
            Thread canceller = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                caller.interrupt();
            });
            canceller.start();
            PluginTimeoutException e = assertThrows(PluginTimeoutException.class, () -> p.call("spin", new byte[0]));
            assertNull(e.timeout());
            assertTrue(Thread.interrupted(), "the caller's interrupt status is kept");
            canceller.join();
            assertEquals("ok", new String(p.call("echo", "ok".getBytes(UTF_8)), UTF_8));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void growingPluginMemoryPastMaxPagesFailsWithOom(Engine engine) {
        try (ExtismPlugin p = ExtismPlugin.builder(kernel().maxPages(64).build()).engine(engine).build()) {
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> p.call("grow_forever", new byte[0]));
            assertEquals(PluginSandboxException.Reason.MEMORY, e.reason());
            assertEquals(ErrorKind.SANDBOX, e.kind());
            assertTrue(e.getMessage().startsWith("oom"), e.getMessage());
            assertEquals("x", new String(p.call("echo", "x".getBytes(UTF_8)), UTF_8));
        }
    }

    @Test
    void allocatingExtismMemoryPastMaxPagesFailsWithOom() {
        try (ExtismPlugin p = ExtismPlugin.builder(kernel().maxPages(64).build()).build()) {
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> p.call("alloc_forever", new byte[0]));
            assertEquals(PluginSandboxException.Reason.MEMORY, e.reason());
        }
    }

    @Test
    void anInputLargerThanTheBudgetIsRefused() {
        try (ExtismPlugin p = ExtismPlugin.builder(kernel().maxPages(2).build()).build()) {
            assertThrows(PluginSandboxException.class, () -> p.call("echo", new byte[3 * 65536]));
            assertArrayEquals("small".getBytes(UTF_8), p.call("echo", "small".getBytes(UTF_8)));
        }
    }

    @Test
    void initialMemoryAboveMaxPagesIsOom() {
        byte[] big = Wat.text("(module (memory 20) (func (export \"f\") (result i32) (i32.const 0)))");
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(big).maxPages(16).build()).build()) {
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> p.call("f", new byte[0]));
            assertEquals("oom: the module's initial memory of 20 pages exceeds the memory limit of 16 pages (the limit"
                    + " covers the module's memory and Extism memory together)", e.getMessage());
            assertEquals(PluginSandboxException.Reason.MEMORY, e.reason());
        }
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(big).maxPages(20).build()).build()) {
            assertArrayEquals(new byte[0], p.call("f", new byte[0]));
        }
    }

    /** {@code grow}: memory.grow by the input's first byte (pages); rc 0, or 1 if it returned -1. */
    static final String GROWER = """
            (module
              (import "extism:host/env" "input_load_u8" (func $in (param i64) (result i32)))
              (memory %d)
              (func (export "f") (result i32) (i32.const 0))
              (func (export "grow") (result i32)
                (i32.eq (memory.grow (call $in (i64.const 0))) (i32.const -1))))
            """;

    static ExtismPlugin grower(int initialPages, int maxPages) {
        return ExtismPlugin.builder(WasmManifest.builder().module(Wat.text(GROWER.formatted(initialPages))).maxPages(maxPages)
                .build()).poolSize(1).build();
    }

    @Test
    void theInitialMemoryCountsAgainstMaxPagesSoGrowthStopsAtTheLimit() {
        // 10 initial pages + 1 page of Extism memory for the one-byte input: 5 more pages reach 16.
        try (ExtismPlugin p = grower(10, 16)) {
            assertArrayEquals(new byte[0], p.call("grow", new byte[] {5}));
        }
        // Once the limit only capped growth beyond the initial pages: these 6 pages made 17 (up to 32 worked).
        try (ExtismPlugin p = grower(10, 16)) {
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> p.call("grow", new byte[] {6}));
            assertEquals(PluginSandboxException.Reason.MEMORY, e.reason());
            assertTrue(e.getMessage().startsWith("oom: the plugin's memory needs 6 more page(s)"), e.getMessage());
            assertTrue(e.getMessage().contains("11 of the budget of 16 page(s) are used"), e.getMessage());
        }
    }

    @Test
    void extismMemoryCountsFromItsFirstByte() {
        try (ExtismPlugin p = grower(16, 16)) {
            assertArrayEquals(new byte[0], p.call("f", new byte[0]), "no input: nothing in Extism memory");
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> p.call("f", new byte[] {1}));
            assertEquals(PluginSandboxException.Reason.MEMORY, e.reason());
            assertEquals("oom: Extism memory needs 1 more page(s) of 64 KiB; 16 of the budget of 16 page(s) are used"
                    + " (for the call's input of 1 bytes)", e.getMessage());
            assertArrayEquals(new byte[0], p.call("f", new byte[0]), "the instance stays usable");
        }
    }

    @Test
    void varsPersistAcrossCallsOnOneInstanceAndAreDeletedWithZero() {
        try (ExtismPlugin p = ExtismPlugin.builder(kernel().build()).build(); PluginInstance i = p.instance()) {
            assertEquals(1, KernelTest.u64s(i.call("count", new byte[0]))[0]);
            assertEquals(2, KernelTest.u64s(i.call("count", new byte[0]))[0]);
            assertEquals(3, KernelTest.u64s(i.call("count", new byte[0]))[0]);
            i.call("delete_var", new byte[0]);
            assertEquals(1, KernelTest.u64s(i.call("count", new byte[0]))[0]);
            try (PluginInstance other = p.instance()) {
                assertEquals(1, KernelTest.u64s(other.call("count", new byte[0]))[0], "vars belong to one instance");
            }
        }
    }

    @Test
    void aVarKeyBlockPassedToVarGetCanBePassedToVarSetAfterwards() {
        // var_get takes ownership of (frees) its key, as the reference does; the guest then hands the
        // same block to var_set. Once this failed with "invalid handle offset for var key: 8".
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(Wat.resource("var-key-reuse")).build()).build();
                PluginInstance i = p.instance()) {
            for (long n = 1; n <= 3; n++) {
                assertEquals(n, KernelTest.u64s(i.call("count", new byte[0]))[0]);
            }
            assertEquals(4, KernelTest.u64s(i.call("count", "not empty".getBytes(UTF_8)))[0]);
        }
    }

    @Test
    void varsAreCappedWithTheReferenceAccounting() {
        // 48 + key (1) + value must fit: 100 - 49 = 51 bytes of value fit, 52 do not.
        try (ExtismPlugin p = ExtismPlugin.builder(kernel().maxVarBytes(100).build()).build(); PluginInstance i = p.instance()) {
            i.call("set_big", new byte[51]);
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> i.call("set_big", new byte[52]));
            assertEquals("Variable store is full", e.getMessage());
            assertEquals(PluginSandboxException.Reason.VAR_STORE, e.reason());
        }
        try (ExtismPlugin p = ExtismPlugin.builder(kernel().maxVarBytes(0).build()).build()) {
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> p.call("count", new byte[0]));
            assertEquals("Vars are disabled by this host", e.getMessage());
        }
    }

    @Test
    void eightThreadsCallOnePluginAtOnce() throws Exception {
        try (ExtismPlugin p = ExtismPlugin.builder(kernel().build()).poolSize(4).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int id = t;
                    results.add(pool.submit(() -> {
                        for (int n = 0; n < 200; n++) {
                            String in = "thread " + id + " call " + n + " " + "x".repeat(n);
                            if (!in.equals(new String(p.call("echo", in.getBytes(UTF_8)), UTF_8))) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : results) {
                    assertTrue(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void oneInstanceRefusesAReentrantCall() {
        byte[] wasm = Wat.text("""
                (module
                  (import "extism:host/user" "reenter" (func $reenter))
                  (func (export "outer") (result i32) (call $reenter) (i32.const 0)))
                """);
        PluginInstance[] self = new PluginInstance[1];
        HostFunction reenter = HostFunction.of("reenter", List.of(), List.of(), (ctx, args) -> {
            self[0].call("outer", new byte[0]);
            return null;
        });
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(wasm).build()).hostFunction(reenter).build();
                PluginInstance i = p.instance()) {
            self[0] = i;
            PluginCallException e = assertThrows(PluginCallException.class, () -> i.call("outer", new byte[0]));
            assertTrue(e.getMessage().contains("reentrant"), e.getMessage());
        }
    }
}
