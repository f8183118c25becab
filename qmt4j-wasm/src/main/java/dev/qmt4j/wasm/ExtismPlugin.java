package dev.qmt4j.wasm;

import dev.qmt4j.wasm.internal.PluginRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An Extism plugin: a module compiled once, with a bounded pool of instances so that calls from
 * several threads run in parallel. Each call resets Extism memory, not the instance.
 *
 * <pre>{@code
 * try (ExtismPlugin p = ExtismPlugin.builder(WasmManifest.builder().module(path).build()).build()) {
 *     byte[] out = p.call("count_vowels", "hello".getBytes(UTF_8));
 * }
 * }</pre>
 *
 * <p>Vars belong to an instance; pooled calls may land on different instances, so a plugin that
 * keeps state across calls should be driven through {@link #instance()}.
 */
public final class ExtismPlugin implements AutoCloseable {
    private final PluginRuntime runtime;

    private ExtismPlugin(PluginRuntime runtime) {
        this.runtime = runtime;
    }

    public static Builder builder(WasmManifest manifest) {
        return new Builder(manifest);
    }

    /**
     * Calls export {@code function} on a pooled instance.
     *
     * @throws PluginException on any failure of the call
     */
    public byte[] call(String function, byte[] input) {
        return runtime.call(function, input, null);
    }

    /** {@link #call(String, byte[])} with a host context for host functions ({@link CallContext#hostContext}). */
    public byte[] call(String function, byte[] input, Object hostContext) {
        return runtime.call(function, input, hostContext);
    }

    /** Whether the module exports {@code function} as {@code () -> i32} or {@code () -> ()}. */
    public boolean functionExists(String function) {
        return runtime.functionExists(function);
    }

    /** The names of the callable exports. */
    public Set<String> functions() {
        return runtime.functions();
    }

    /** A dedicated instance outside the pool, for stateful call sequences. The caller closes it. */
    public PluginInstance instance() {
        return runtime.newInstance();
    }

    public String name() {
        return runtime.name();
    }

    public WasmManifest manifest() {
        return runtime.manifest();
    }

    /** Which engine runs the code: {@link Engine#INTERPRETER} if compilation was off or failed. */
    public Engine engine() {
        return runtime.engine();
    }

    /** Drops the pooled instances. Calls in progress finish; later calls fail. */
    @Override
    public void close() {
        runtime.close();
    }

    /** Builds an {@link ExtismPlugin}. */
    public static final class Builder {
        private final WasmManifest manifest;
        private final List<HostFunction> hostFunctions = new ArrayList<>();
        private String name = "plugin";
        private LogSink logSink;
        private LogLevel logLevel;
        private Path compileCacheDir;
        private int poolSize = Runtime.getRuntime().availableProcessors();
        private Engine engine = Engine.COMPILER;

        private Builder(WasmManifest manifest) {
            this.manifest = Objects.requireNonNull(manifest, "manifest");
        }

        /** The plugin's name in logs and messages. Default "plugin". */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Adds a user host function; a later function with the same namespace and name replaces an earlier one. */
        public Builder hostFunction(HostFunction f) {
            hostFunctions.add(Objects.requireNonNull(f, "f"));
            return this;
        }

        public Builder hostFunctions(List<HostFunction> fs) {
            fs.forEach(this::hostFunction);
            return this;
        }

        /** Where guest log messages go. Default: slf4j logger {@code dev.qmt4j.wasm.plugin.<name>}. */
        public Builder logSink(LogSink sink) {
            this.logSink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** The level guests see in {@code get_log_level} and below which their messages are dropped. Default: what the slf4j logger enables. */
        public Builder logLevel(LogLevel level) {
            this.logLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        /** Directory for compiled classes, keyed by the module's sha256. Default: none (compile in memory each time). */
        public Builder compileCacheDir(Path dir) {
            this.compileCacheDir = dir;
            return this;
        }

        /** Maximum number of pooled instances (= parallel calls). Default: available processors. */
        public Builder poolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("poolSize must be >= 1");
            }
            this.poolSize = size;
            return this;
        }

        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * Parses, validates and compiles the module. Instances are created lazily.
         *
         * @throws PluginLoadException when the module is invalid or imports something the host lacks
         */
        public ExtismPlugin build() {
            return new ExtismPlugin(new PluginRuntime(new PluginRuntime.Options(manifest, List.copyOf(hostFunctions),
                    name, logSink, logLevel, compileCacheDir, poolSize, engine)));
        }
    }
}
