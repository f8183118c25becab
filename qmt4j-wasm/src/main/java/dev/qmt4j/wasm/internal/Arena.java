package dev.qmt4j.wasm.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Extism memory for one instance: a flat byte arena addressed from {@link #BASE}, bump-allocated
 * and never reusing an address before {@link #reset()}. That one rule gives the invariants PDKs rely
 * on (https://github.com/extism/extism/blob/main/kernel/src/lib.rs):
 * 0 is null, contiguous addressing in a block, exact {@code length}, freed data
 * readable until reset, harmless double free. Handles stay below 2^31.
 *
 * <p>Blocks are recorded in start order (the bump pointer only grows), so {@link #length} is a
 * binary search over primitive arrays: no boxing on the hot path.
 */
public final class Arena {
    /** First handle; any value >= 1 works, 8 keeps the first block 8-aligned. */
    public static final long BASE = 8;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Largest arena: keeps every handle an int-sized byte offset. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 64L;
    /** Above this, {@link #reset()} gives the buffer back to the GC instead of zero-filling it. */
    private static final int KEEP_BYTES = 4 << 20;

    private final MemoryBudget budget;
    private byte[] buf = new byte[4096];
    /** Next free address. */
    private long top = BASE;
    /** Highest address ever reached (charged to the budget). */
    private long highWater = BASE;
    private long chargedPages;

    private long[] starts = new long[16];
    private int[] lens = new int[16];
    private boolean[] live = new boolean[16];
    private int blocks;

    private long inputHandle;
    private long inputLength;
    private long outputAddr;
    private long outputLength;
    private long errorHandle;
    private long errorLength;

    public Arena(MemoryBudget budget) {
        this.budget = budget;
    }

    /** Drops every block and clears input, output and error; the budget charge stays. */
    public void reset() {
        int used = (int) top;
        if (buf.length > KEEP_BYTES) {
            buf = new byte[4096];
        } else {
            Arrays.fill(buf, 0, Math.min(used, buf.length), (byte) 0);
        }
        top = BASE;
        blocks = 0;
        inputHandle = inputLength = outputAddr = outputLength = errorHandle = errorLength = 0;
    }

    /** {@code alloc}: 0 for n == 0; throws {@link MemoryBudget.OutOfBudget} past the budget. */
    public long alloc(long n) {
        if (n == 0) {
            return 0;
        }
        if (n < 0 || n > MAX_BYTES - top) {
            throw new MemoryBudget.OutOfBudget("Extism memory", chargedPages, pagesFor(n), budget.maxPages());
        }
        long h = top;
        long end = h + n;
        // Round the next block up to 8 so u64 copies of block starts stay aligned in the byte[] (cheap, invisible to guests).
        long next = (end + 7) & ~7L;
        if (next > highWater) {
            // Charged from the first byte, in whole pages: with the plugin's initial and grown pages this
            // is the instance's real total, which the budget caps (docs/wasm.md, maxPages).
            long pagesNeeded = pagesFor(next - BASE);
            budget.charge(pagesNeeded - chargedPages, "Extism memory");
            chargedPages = Math.max(chargedPages, pagesNeeded);
            highWater = next;
        }
        // The buffer covers the padding too: every address below top is a real byte (loads there read 0).
        ensureCapacity(next);
        top = next;
        if (blocks == starts.length) {
            starts = Arrays.copyOf(starts, blocks * 2);
            lens = Arrays.copyOf(lens, blocks * 2);
            live = Arrays.copyOf(live, blocks * 2);
        }
        starts[blocks] = h;
        lens[blocks] = (int) n;
        live[blocks] = true;
        blocks++;
        return h;
    }

    private static long pagesFor(long bytes) {
        return (bytes + MemoryBudget.PAGE - 1) / MemoryBudget.PAGE;
    }

    /** Grows the buffer to hold {@code end} bytes: doubling, but never past what the budget has been charged for. */
    private void ensureCapacity(long end) {
        if (end > buf.length) {
            long charged = BASE + chargedPages * MemoryBudget.PAGE;
            long cap = Math.max(end, Math.min(Math.min(MAX_BYTES, charged), (long) buf.length * 2));
            buf = Arrays.copyOf(buf, (int) cap);
        }
    }

    /** The index of the block that starts at {@code h} and was allocated since the last reset, live or freed; -1 if none. */
    private int indexOf(long h) {
        if (h < BASE || h >= top) {
            return -1;
        }
        int i = Arrays.binarySearch(starts, 0, blocks, h);
        return i >= 0 ? i : -1;
    }

    private int find(long h) {
        int i = indexOf(h);
        return i >= 0 && live[i] ? i : -1;
    }

    /** {@code free}: marks a live block free; unknown handles are ignored. Freeing the input empties it. */
    public void free(long h) {
        int i = find(h);
        if (i < 0) {
            return;
        }
        live[i] = false;
        if (h == inputHandle) {
            inputLength = 0;
        }
    }

    /** {@code length} / {@code length_unsafe}: exact block length, 0 for anything else. */
    public long length(long h) {
        int i = find(h);
        return i < 0 ? 0 : lens[i];
    }

    /**
     * Whether {@code [addr, addr + n)} lies inside the arena: at or above {@link #BASE}, below the bump
     * pointer and inside the buffer (the last check is the one that keeps a guest pointer from ever
     * indexing past the byte[]). Negative values are huge unsigned u64s to the guest, so out of range.
     */
    private boolean inRange(long addr, long n) {
        long end = Math.min(top, buf.length);
        return addr >= BASE && n >= 0 && addr < end && n <= end - addr;
    }

    public int loadU8(long addr) {
        return inRange(addr, 1) ? buf[(int) addr] & 0xff : 0;
    }

    public long loadU64(long addr) {
        return inRange(addr, 8) ? (long) LONG_LE.get(buf, (int) addr) : 0;
    }

    public void storeU8(long addr, int b) {
        if (inRange(addr, 1)) {
            buf[(int) addr] = (byte) b;
        }
    }

    public void storeU64(long addr, long v) {
        if (inRange(addr, 8)) {
            LONG_LE.set(buf, (int) addr, v);
        }
    }

    /** Copies {@code data} into a new block; 0 for empty data. */
    public long write(byte[] data) {
        if (data.length == 0) {
            return 0;
        }
        long h = alloc(data.length);
        System.arraycopy(data, 0, buf, (int) h, data.length);
        return h;
    }

    /** The bytes of the live block {@code h}; empty for 0 or unknown. */
    public byte[] read(long h) {
        int i = find(h);
        return i < 0 ? new byte[0] : Arrays.copyOfRange(buf, (int) h, (int) h + lens[i]);
    }

    /**
     * The length of the block that starts at {@code h} and was allocated in this call, even if it has
     * been freed since; 0 for anything else. For the handle arguments of built-ins: they free their
     * arguments as the reference does (https://github.com/extism/extism/blob/main/runtime/src/pdk.rs),
     * yet guests written for hosts that do not (Extism's
     * JS SDK) pass a key to {@code var_get} and then the same key to {@code var_set}. Addresses are
     * never reused before {@link #reset()}, so a freed block start still names exactly the bytes the
     * guest wrote there; {@link #length} stays 0 for it, as PDKs expect.
     */
    public long allocatedLength(long h) {
        int i = indexOf(h);
        return i < 0 ? 0 : lens[i];
    }

    /** The bytes of the block {@link #allocatedLength} describes; empty if there is none. */
    public byte[] readAllocated(long h) {
        int i = indexOf(h);
        return i < 0 ? new byte[0] : Arrays.copyOfRange(buf, (int) h, (int) h + lens[i]);
    }

    /** {@code len} bytes at {@code addr}, whether or not a block is live there (freed data stays readable). */
    public byte[] readRaw(long addr, long len) {
        if (len == 0 || !inRange(addr, len)) {
            return new byte[0];
        }
        return Arrays.copyOfRange(buf, (int) addr, (int) (addr + len));
    }

    /** The host's {@code input_set}: writes the call's input and records it. */
    public void setInput(byte[] input) {
        inputHandle = write(input);
        inputLength = input.length;
    }

    public long inputHandle() {
        return inputLength == 0 ? 0 : inputHandle;
    }

    public long inputLength() {
        return inputLength;
    }

    public void inputSet(long h, long len) {
        if (len == 0 || inRange(h, len)) {
            inputHandle = h;
            inputLength = len;
        }
    }

    public int inputLoadU8(long i) {
        return i >= 0 && i < inputLength ? loadU8(inputHandle + i) : 0;
    }

    public long inputLoadU64(long i) {
        return i >= 0 && i <= inputLength - 8 ? loadU64(inputHandle + i) : 0;
    }

    /** {@code output_set}: interior addresses are fine; a call outside the arena is ignored. */
    public void outputSet(long addr, long len) {
        if (len > 0 && inRange(addr, len)) {
            outputAddr = addr;
            outputLength = len;
        }
    }

    public long outputAddr() {
        return outputAddr;
    }

    public long outputLength() {
        return outputLength;
    }

    public byte[] output() {
        return readRaw(outputAddr, outputLength);
    }

    /**
     * {@code error_set}: 0 clears. The length is captured now, so a message the guest frees
     * afterwards is still reported (the reference would lose it).
     */
    public void errorSet(long h) {
        if (h == 0) {
            errorHandle = errorLength = 0;
            return;
        }
        if (!inRange(h, 1)) {
            return;
        }
        errorHandle = h;
        long len = length(h);
        errorLength = len;
    }

    public long errorHandle() {
        return errorHandle;
    }

    /** The registered error message, or null when none (handle 0 or empty). */
    public String errorMessage() {
        if (errorHandle == 0) {
            return null;
        }
        long len = errorLength != 0 ? errorLength : length(errorHandle);
        if (len == 0) {
            return null;
        }
        return new String(readRaw(errorHandle, len), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code memory_bytes}: the arena's capacity. */
    public long capacity() {
        return buf.length;
    }
}
