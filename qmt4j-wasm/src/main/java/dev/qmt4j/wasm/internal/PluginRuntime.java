package dev.qmt4j.wasm.internal;

import dev.qmt4j.wasm.Engine;
import dev.qmt4j.wasm.HostFunction;
import dev.qmt4j.wasm.LogLevel;
import dev.qmt4j.wasm.LogSink;
import dev.qmt4j.wasm.PluginInstance;
import dev.qmt4j.wasm.WasmManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Stub: the compiled module and its instance pool. */
public final class PluginRuntime {
    /** Everything the builder collected. */
    public record Options(WasmManifest manifest, List<HostFunction> hostFunctions, String name, LogSink logSink,
            LogLevel logLevel, Path compileCacheDir, int poolSize, Engine engine) {}

    private final Options options;

    public PluginRuntime(Options options) {
        this.options = options;
    }

    public byte[] call(String function, byte[] input, Object hostContext) {
        throw new UnsupportedOperationException("not yet");
    }

    public boolean functionExists(String function) {
        throw new UnsupportedOperationException("not yet");
    }

    public Set<String> functions() {
        throw new UnsupportedOperationException("not yet");
    }

    public PluginInstance newInstance() {
        throw new UnsupportedOperationException("not yet");
    }

    public String name() {
        return options.name();
    }

    public WasmManifest manifest() {
        return options.manifest();
    }

    public Engine engine() {
        return options.engine();
    }

    public void close() {}
}
