package dev.qmt4j.nativeplugin.internal;

import com.sun.jna.Callback;
import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.qmt4j.nativeplugin.NativeLoadException;
import dev.qmt4j.nativeplugin.NativeLoadException.Reason;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The C functions of one loaded plugin library ({@code qmt4j_plugin.h}), looked up once with
 * {@link NativeLibrary#getFunction}. Calls copy the plugin's output into a Java array and hand the
 * buffer back to {@code qmt4j_free} at once. Thread-safe. The library is never unloaded (another
 * provider may share the handle, and a call may still be running on it).
 */
public final class NativeAbi {
    /** The ABI version this host implements ({@code QMT4J_ABI_VERSION}). */
    public static final int VERSION = 1;
    /** Success. */
    public static final int OK = 0;
    /** Structured error: output is {@code {"payload": LLMErrorPayload}}. */
    public static final int STRUCTURED = 1;
    /** Unknown function: not supported. */
    public static final int UNKNOWN_FUNCTION = -1;

    /** The symbols of QueryMT's Rust trait-object ABI. */
    public static final List<String> QUERYMT_SYMBOLS = List.of("plugin_factory", "plugin_http_factory");
    /** The symbols this ABI requires. */
    public static final List<String> REQUIRED_SYMBOLS = List.of("qmt4j_abi_version", "qmt4j_call", "qmt4j_free");
    /** The optional streaming symbol. */
    public static final String STREAM_SYMBOL = "qmt4j_chat_stream";

    /** The exact explanation given for a QueryMT native plugin. */
    public static final String QUERYMT_MESSAGE = "this is a QueryMT native plugin built against the Rust trait ABI, which cannot be "
            + "loaded from Java; rebuild it against qmt4j_plugin.h, or use the Wasm build of the provider";

    private static final int PTR = Native.POINTER_SIZE;
    private static final AtomicLong STREAM_IDS = new AtomicLong();
    private static final Map<Long, ChunkSink> STREAMS = new ConcurrentHashMap<>();
    /** One callback for every stream (one JNA trampoline); {@code ctx} names the stream. */
    private static final ChunkCallback CALLBACK = NativeAbi::onChunk;

    /** Receives a stream's chunks; returns false to ask the plugin to stop. */
    @FunctionalInterface
    public interface ChunkSink {
        boolean accept(byte[] chunk);
    }

    /** {@code qmt4j_chunk_fn}. */
    public interface ChunkCallback extends Callback {
        int invoke(Pointer ctx, Pointer chunk, SizeT len);
    }

    /** A call's return code and output bytes (empty when the plugin returned NULL). */
    public record Result(int code, byte[] output) {}

    private final Path path;
    private final int version;
    private final Function call;
    private final Function free;
    private final Function stream;

    private NativeAbi(Path path, int version, Function call, Function free, Function stream) {
        this.path = path;
        this.version = version;
        this.call = call;
        this.free = free;
        this.stream = stream;
    }

    /**
     * Loads {@code path} and checks it is a qmt4j plugin of ABI {@link #VERSION}.
     *
     * @throws NativeLoadException when the file is missing, cannot be loaded, is a QueryMT (Rust)
     *         native plugin, lacks the qmt4j symbols, or reports another ABI version
     */
    public static NativeAbi open(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new NativeLoadException(Reason.NOT_FOUND, "native plugin not found: " + abs, null, null);
        }
        NativeLibrary lib;
        try {
            lib = NativeLibrary.getInstance(abs.toString());
        } catch (UnsatisfiedLinkError e) {
            throw loadFailed(abs, e);
        }
        Function versionFn = find(lib, "qmt4j_abi_version");
        if (versionFn == null) {
            List<String> rust = new ArrayList<>();
            for (String s : QUERYMT_SYMBOLS) {
                if (find(lib, s) != null) rust.add(s);
            }
            if (!rust.isEmpty()) {
                throw new NativeLoadException(Reason.QUERYMT_RUST_ABI, "cannot load " + abs + " (it exports "
                        + String.join(" and ", rust) + "): " + QUERYMT_MESSAGE, null, null);
            }
            throw new NativeLoadException(Reason.NOT_A_PLUGIN, abs + " is not a qmt4j native plugin: it exports none of "
                    + String.join(", ", REQUIRED_SYMBOLS) + " (qmt4j_plugin.h) nor QueryMT's " + String.join(", ", QUERYMT_SYMBOLS)
                    + "; only these symbols were looked up, a library's full export list cannot be read through JNA",
                    "list its exports with: nm -D --defined-only " + abs, null);
        }
        int version = versionFn.invokeInt(new Object[0]);
        if (version != VERSION) {
            throw new NativeLoadException(Reason.ABI_MISMATCH, "native plugin " + abs + " implements qmt4j plugin ABI version "
                    + Integer.toUnsignedString(version) + ", but this qmt4j implements ABI version " + VERSION,
                    "rebuild the plugin against qmt4j_plugin.h of ABI version " + VERSION
                            + ", or use a qmt4j release that implements version " + Integer.toUnsignedString(version), null);
        }
        Function callFn = find(lib, "qmt4j_call");
        Function freeFn = find(lib, "qmt4j_free");
        if (callFn == null || freeFn == null) {
            throw new NativeLoadException(Reason.NOT_A_PLUGIN, "native plugin " + abs + " exports qmt4j_abi_version but not "
                    + (callFn == null ? "qmt4j_call" : "qmt4j_free") + ", which ABI version " + VERSION + " requires", null, null);
        }
        return new NativeAbi(abs, version, callFn, freeFn, find(lib, STREAM_SYMBOL));
    }

    private static Function find(NativeLibrary lib, String symbol) {
        try {
            return lib.getFunction(symbol);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** A library the dynamic loader refused; one built for another architecture is named as such. */
    private static NativeLoadException loadFailed(Path abs, UnsatisfiedLinkError e) {
        String host = ElfMachine.host();
        Optional<String> built = ElfMachine.of(abs);
        if (built.isPresent() && !built.get().equals(host)) {
            return new NativeLoadException(Reason.LOAD_FAILED, "cannot load native plugin " + abs + ": it is built for "
                    + built.get() + ", this machine is " + host,
                    "use the build for this machine (for an OCI provider: drop --platform or the provider's platform key), "
                            + "or the provider's Wasm build (--platform wasi/wasm)", e);
        }
        // JNA's message repeats the loader's line once per place it searched: the first one says it.
        String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return new NativeLoadException(Reason.LOAD_FAILED, "cannot load native plugin " + abs + ": " + why,
                "a native plugin must be a shared library built for this machine (" + System.getProperty("os.name")
                        + "/" + System.getProperty("os.arch") + ")", e);
    }

    /** The library file. */
    public Path path() {
        return path;
    }

    /** The ABI version the plugin reported. */
    public int version() {
        return version;
    }

    /** Whether {@code qmt4j_chat_stream} is exported. */
    public boolean hasStream() {
        return stream != null;
    }

    /** {@code qmt4j_call(function, input, ...)}. */
    public Result call(String function, byte[] input) {
        Memory out = outParams();
        int code = call.invokeInt(new Object[] {function, input, new SizeT(input.length), out, out.share(PTR)});
        return new Result(code, take(out));
    }

    /**
     * {@code qmt4j_chat_stream(input, ...)}: {@code sink} gets each chunk on this thread, in order.
     * Requires {@link #hasStream()}.
     */
    public Result chatStream(byte[] input, ChunkSink sink) {
        long id = STREAM_IDS.incrementAndGet();
        STREAMS.put(id, sink);
        Memory err = outParams();
        try {
            int code = stream.invokeInt(new Object[] {input, new SizeT(input.length), CALLBACK, new Pointer(id), err, err.share(PTR)});
            return new Result(code, take(err));
        } finally {
            STREAMS.remove(id);
        }
    }

    private static int onChunk(Pointer ctx, Pointer chunk, SizeT len) {
        ChunkSink sink = STREAMS.get(Pointer.nativeValue(ctx));
        if (sink == null) return 1; // a stream that has ended: stop
        long n = len.longValue();
        byte[] bytes = n <= 0 || chunk == null ? new byte[0] : chunk.getByteArray(0, (int) Math.min(n, Integer.MAX_VALUE));
        try {
            return sink.accept(bytes) ? 0 : 1;
        } catch (RuntimeException | Error e) {
            return 1; // the sink records its own failures; never let an exception unwind through C
        }
    }

    /** {@code uint8_t *} then {@code size_t}, zeroed. */
    private static Memory outParams() {
        Memory m = new Memory(PTR + Native.SIZE_T_SIZE);
        m.clear();
        return m;
    }

    private byte[] take(Memory out) {
        Pointer p = out.getPointer(0);
        if (p == null) return new byte[0];
        long len = Native.SIZE_T_SIZE == 8 ? out.getLong(PTR) : Integer.toUnsignedLong(out.getInt(PTR));
        try {
            if (len > Integer.MAX_VALUE - 8) throw new ProviderException(ProviderErrorKind.LIMIT_EXCEEDED, "plugin output of " + len + " bytes is too large");
            return len == 0 ? new byte[0] : p.getByteArray(0, (int) len);
        } finally {
            free.invokeVoid(new Object[] {p, new SizeT(len)});
        }
    }
}
