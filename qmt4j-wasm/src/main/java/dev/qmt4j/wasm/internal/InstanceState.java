package dev.qmt4j.wasm.internal;

import dev.qmt4j.wasm.CallContext;
import dev.qmt4j.wasm.LogLevel;
import dev.qmt4j.wasm.LogSink;
import dev.qmt4j.wasm.WasmManifest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the host keeps for one plugin instance: Extism memory, vars, the last HTTP response,
 * and the state of the call in progress. It is also the {@link CallContext} user host functions see.
 * Single-threaded: one call at a time per instance.
 */
public final class InstanceState implements CallContext {
    final String pluginName;
    final WasmManifest manifest;
    final MemoryBudget budget;
    final Arena arena;
    final Map<String, byte[]> vars = new HashMap<>();
    final LogSink logSink;
    final LogLevel logLevel;
    final ExtismHttp http;

    int httpStatus;
    Map<String, String> httpHeaders = Map.of();

    private Object hostContext;
    /** System.nanoTime() deadline of the current call, or Long.MAX_VALUE. */
    private long deadlineNanos = Long.MAX_VALUE;

    InstanceState(String pluginName, WasmManifest manifest, LogSink logSink, LogLevel logLevel, ExtismHttp http) {
        this.pluginName = pluginName;
        this.manifest = manifest;
        this.budget = new MemoryBudget(manifest.maxPages());
        this.arena = new Arena(budget);
        this.logSink = logSink;
        this.logLevel = logLevel;
        this.http = http;
    }

    /** Extism's {@code set_input}: reset memory and registers, then write the input. */
    void beginCall(byte[] input, Object hostContext, long deadlineNanos) {
        arena.reset();
        arena.setInput(input);
        this.hostContext = hostContext;
        this.deadlineNanos = deadlineNanos;
    }

    void endCall() {
        hostContext = null;
        deadlineNanos = Long.MAX_VALUE;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /**
     * Decodes a handle argument of a built-in: 0 is empty; the start of a block allocated in this call
     * is its bytes, even if an earlier built-in freed it ({@link Arena#allocatedLength}); anything else
     * is an error naming {@code what}.
     */
    byte[] handleArg(long h, String what) {
        if (h == 0) {
            return new byte[0];
        }
        if (arena.allocatedLength(h) == 0) {
            throw new HostFunctionFailure("invalid handle offset for " + what + ": " + h);
        }
        return arena.readAllocated(h);
    }

    @Override
    public String pluginName() {
        return pluginName;
    }

    @Override
    public WasmManifest manifest() {
        return manifest;
    }

    @Override
    public long alloc(long n) {
        return arena.alloc(n);
    }

    @Override
    public void free(long handle) {
        arena.free(handle);
    }

    @Override
    public long length(long handle) {
        return arena.length(handle);
    }

    @Override
    public byte[] read(long handle) {
        return arena.read(handle);
    }

    @Override
    public String readString(long handle) {
        return new String(arena.read(handle), StandardCharsets.UTF_8);
    }

    @Override
    public long write(byte[] bytes) {
        return arena.write(bytes);
    }

    @Override
    public long writeString(String s) {
        return arena.write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void setError(String message) {
        long h = arena.write(message.getBytes(StandardCharsets.UTF_8));
        arena.errorSet(h);
    }

    @Override
    public <T> T hostContext(Class<T> type) {
        return type.isInstance(hostContext) ? type.cast(hostContext) : null;
    }

    @Override
    public Duration timeRemaining() {
        if (deadlineNanos == Long.MAX_VALUE) {
            return null;
        }
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    @Override
    public Map<String, byte[]> vars() {
        return Collections.unmodifiableMap(vars);
    }
}
