package dev.qmt4j.wasm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel functions' edge cases (conformance items 1-3, 6, 8 of qmt4j-wasm/README.md) seen from a guest. */
class KernelTest {
    static ExtismPlugin plugin;
    static final List<String> logged = new ArrayList<>();

    @BeforeAll
    static void load() {
        plugin = ExtismPlugin.builder(WasmManifest.builder().module(Wat.resource("kernel")).config("greeting", "hi")
                        .config("empty", "").build())
                .name("kernel").logLevel(LogLevel.INFO)
                .logSink((level, name, msg) -> {
                    synchronized (logged) {
                        logged.add(level + " " + name + " " + msg);
                    }
                })
                .build();
    }

    @AfterAll
    static void close() {
        plugin.close();
    }

    static long[] u64s(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long[] r = new long[b.length / 8];
        for (int i = 0; i < r.length; i++) {
            r[i] = bb.getLong();
        }
        return r;
    }

    @Test
    void echoCopiesInputThroughInputLoadAndStore() {
        assertEquals("hello, wasm", new String(plugin.call("echo", "hello, wasm".getBytes(UTF_8)), UTF_8));
        assertArrayEquals(new byte[0], plugin.call("echo", new byte[0]));
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        assertArrayEquals(big, plugin.call("echo", big));
    }

    @Test
    void outputMayBeAnInteriorPointerIntoTheInputBlock() {
        assertEquals("ello", new String(plugin.call("echo_tail", "hello".getBytes(UTF_8)), UTF_8));
    }

    @Test
    void allocZeroIsNullAndLengthUnsafeOfNullIsZero() {
        assertArrayEquals(new long[] {0, 0}, u64s(plugin.call("alloc_zero", new byte[0])));
    }

    @Test
    void lengthIsExactAndZeroForInteriorOrUnknownHandles() {
        assertArrayEquals(new long[] {5, 0}, u64s(plugin.call("lengths", new byte[0])));
        assertArrayEquals(new long[] {0, 0}, u64s(plugin.call("length_unknown", new byte[0])));
    }

    @Test
    void freedDataStaysReadableDoubleFreeIsHarmlessAndOtherBlocksSurvive() {
        long[] r = u64s(plugin.call("free_twice", new byte[0]));
        assertEquals(42, r[0] & 0xffffffffL, "freed byte still readable");
        assertEquals(0, r[0] >>> 32, "freed block has length 0");
        assertEquals(8, r[1], "a later block is untouched by the second free");
    }

    @Test
    void outOfRangeLoadsReturnZeroAndStoresAreIgnored() {
        assertArrayEquals(new long[] {0, 0}, u64s(plugin.call("bounds", new byte[0])));
    }

    // A first block of 100001 bytes makes the buffer end at 100009 while the next block would start at
    // 100016; addresses in between once passed the bounds check and indexed past the byte[], so the
    // call failed with a raw IndexOutOfBoundsException (for output_set, out of ExtismInstance.call).
    // They are arena addresses like any other (flat memory up to the bump pointer, docs/wasm.md "How it works").
    // Each runs on a fresh plugin: an instance keeps its grown buffer across calls, which hides the case.

    static byte[] callFresh(String function) {
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(Wat.resource("kernel")).build()).build()) {
            return p.call(function, new byte[0]);
        }
    }

    @Test
    void loadsJustPastABlockThatEndsTheBufferAreInsideTheArena() {
        assertArrayEquals(new long[] {0, 0x5a}, u64s(callFresh("load_past_end")));
    }

    @Test
    void storesJustPastABlockThatEndsTheBufferAreInsideTheArena() {
        assertArrayEquals(new long[] {6, 0x0102030405060708L}, u64s(callFresh("store_past_end")));
    }

    @Test
    void anOutputJustPastABlockThatEndsTheBufferIsReadNotThrown() {
        assertArrayEquals(new byte[4], callFresh("output_past_end"));
    }

    @Test
    void anInputSetJustPastABlockThatEndsTheBufferIsReadable() {
        assertArrayEquals(new long[] {0x11, 0}, u64s(callFresh("input_past_end")));
    }

    @Test
    void inputLoadU64IsLittleEndianAndZeroPastTheEnd() {
        long[] r = u64s(plugin.call("input_u64", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        assertEquals(0x0807060504030201L, r[0]);
        assertEquals(0, r[1]);
    }

    @Test
    void errorSetFailsTheCallWithTheGuestsMessageEvenWithReturnCodeZero() {
        PluginCallException e = assertThrows(PluginCallException.class, () -> plugin.call("fail", new byte[0]));
        assertEquals("boom", e.guestError());
        assertEquals("boom", e.getMessage());
        assertEquals(0, e.returnCode());
        assertEquals(ErrorKind.PLUGIN, e.kind());
    }

    @Test
    void anErrorMessageFreedByTheGuestIsStillReportedWithItsReturnCode() {
        PluginCallException e = assertThrows(PluginCallException.class, () -> plugin.call("fail_freed", new byte[0]));
        assertEquals("boom", e.guestError());
        assertEquals(1, e.returnCode());
    }

    @Test
    void nonZeroReturnCodeWithoutMessage() {
        PluginCallException e = assertThrows(PluginCallException.class, () -> plugin.call("rc3", new byte[0]));
        assertEquals("Returned non-zero exit code: 3", e.getMessage());
        assertEquals(3, e.returnCode());
        assertNull(e.guestError());
    }

    @Test
    void voidExportSucceedsWithEmptyOutput() {
        assertArrayEquals(new byte[0], plugin.call("void_export", "x".getBytes(UTF_8)));
    }

    @Test
    void errorsOfOneCallDoNotLeakIntoTheNext() {
        assertThrows(PluginCallException.class, () -> plugin.call("fail", new byte[0]));
        assertEquals("ok", new String(plugin.call("echo", "ok".getBytes(UTF_8)), UTF_8));
    }

    @Test
    void configPresentMissingAndEmpty() {
        assertEquals("hi", new String(plugin.call("config", "greeting".getBytes(UTF_8)), UTF_8));
        long[] missing = u64s(plugin.call("config", "nope".getBytes(UTF_8)));
        assertArrayEquals(new long[] {0, 0}, missing, "absent -> handle 0, and the key block was freed by the host");
        assertArrayEquals(new long[] {0, 0}, u64s(plugin.call("config", "empty".getBytes(UTF_8))), "empty value -> 0");
    }

    @Test
    void missingExportNamesTheCallableExports() {
        PluginCallException e = assertThrows(PluginCallException.class, () -> plugin.call("nope", new byte[0]));
        assertTrue(e.getMessage().startsWith("Function not found: nope"), e.getMessage());
        assertTrue(e.getMessage().contains("echo"), e.getMessage());
        assertFalse(e.getMessage().contains("takes_params"), e.getMessage());
        assertEquals(-1, e.returnCode());
    }

    @Test
    void exportsWithParametersAreNotCallable() {
        assertFalse(plugin.functionExists("takes_params"));
        assertFalse(plugin.functionExists("memory"));
        assertTrue(plugin.functionExists("echo"));
        assertTrue(plugin.functionExists("void_export"));
        assertThrows(PluginCallException.class, () -> plugin.call("takes_params", new byte[0]));
    }

    @Test
    void logMessagesAreFilteredByLevelAndGetLogLevelReportsIt() {
        String marker = "marker-" + System.nanoTime();
        long[] r = u64s(plugin.call("log", marker.getBytes(UTF_8)));
        assertEquals(LogLevel.INFO.extismValue(), r[0]);
        synchronized (logged) {
            assertTrue(logged.contains("INFO kernel " + marker), logged.toString());
            assertFalse(logged.contains("DEBUG kernel " + marker), logged.toString());
        }
    }

    @Test
    void logLevelOffIsIntMax() {
        try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(Wat.resource("kernel")).build())
                .logLevel(LogLevel.OFF).logSink((l, n, m) -> {
                    throw new AssertionError("nothing may be logged when off");
                }).build()) {
            assertEquals(Integer.MAX_VALUE, u64s(p.call("log", "x".getBytes(UTF_8)))[0]);
        }
    }

    @Test
    void aTrapIsReportedAndThePluginStaysUsable() {
        PluginTrapException e = assertThrows(PluginTrapException.class, () -> plugin.call("trap", new byte[0]));
        assertTrue(e.trapMessage().toLowerCase().contains("unreachable"), e.trapMessage());
        assertEquals(134, e.returnCode());
        assertEquals("after", new String(plugin.call("echo", "after".getBytes(UTF_8)), UTF_8));
    }
}
