package dev.qmt4j.wasm.internal;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.qmt4j.wasm.Engine;
import dev.qmt4j.wasm.HostFunction;
import dev.qmt4j.wasm.LogLevel;
import dev.qmt4j.wasm.LogSink;
import dev.qmt4j.wasm.PluginInstance;
import dev.qmt4j.wasm.PluginLoadException;
import dev.qmt4j.wasm.PluginTimeoutException;
import dev.qmt4j.wasm.WasmManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A parsed and compiled module with its bounded instance pool (behind {@code ExtismPlugin}). */
public final class PluginRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRuntime.class);

    /** Everything the builder collected. */
    public record Options(WasmManifest manifest, List<HostFunction> hostFunctions, String name, LogSink logSink,
            LogLevel logLevel, Path compileCacheDir, int poolSize, Engine engine) {}

    private final Options options;
    private final WasmModule module;
    private final ModuleInfo info;
    private final List<HostFunction> userFunctions;
    private final Function<Instance, Machine> machineFactory;
    private final Engine engine;
    private final LogSink logSink;
    private final LogLevel logLevel;
    private final ExtismHttp http = new ExtismHttp();
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<ExtismInstance> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    public PluginRuntime(Options options) {
        this.options = options;
        WasmModule parsed;
        try {
            parsed = Parser.parse(options.manifest().module());
        } catch (RuntimeException e) {
            throw new PluginLoadException("not a valid WebAssembly module: " + e.getMessage(), null, e);
        }
        this.info = ModuleInfo.of(parsed);
        Map<String, HostFunction> byKey = new LinkedHashMap<>();
        for (HostFunction f : options.hostFunctions()) {
            if (f.namespace().equals(Kernel.ENV) && Kernel.signatures().containsKey(f.name())) {
                throw new IllegalArgumentException("host function " + f.name() + " would replace an Extism kernel function");
            }
            byKey.put(f.namespace() + "\u0000" + f.name(), f);
        }
        this.userFunctions = List.copyOf(byKey.values());
        checkImports(byKey);
        this.logSink = options.logSink() != null ? options.logSink() : Slf4jLogSink.INSTANCE;
        this.logLevel = options.logLevel() != null ? options.logLevel() : Slf4jLogSink.levelOf(options.name());
        Function<Instance, Machine> factory = null;
        Engine used = Engine.INTERPRETER;
        if (options.engine() == Engine.COMPILER) {
            try {
                CompileCache.Compiled c = CompileCache.compile(parsed, options.compileCacheDir());
                parsed = c.module();
                factory = c.factory();
                used = Engine.COMPILER;
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("plugin {}: compiling to JVM bytecode failed, using the interpreter: {}", options.name(), e.toString());
            }
        }
        this.module = parsed;
        this.machineFactory = factory;
        this.engine = used;
        this.permits = new Semaphore(options.poolSize());
    }

    /** Fails now, with a clear message, on imports no instance could satisfy (the reference fails at link time). */
    private void checkImports(Map<String, HostFunction> user) {
        Map<String, FunctionType> kernel = Kernel.signatures();
        List<String> problems = new ArrayList<>();
        String hint = null;
        for (ModuleInfo.ImportEntry im : info.imports()) {
            if (im.kind() != ExternalType.FUNCTION) {
                problems.add("unsupported " + im.kind().name().toLowerCase(java.util.Locale.ROOT) + " import "
                        + im.module() + "." + im.name() + " (only functions can be imported)");
                continue;
            }
            HostFunction uf = user.get(im.module() + "\u0000" + im.name());
            if (uf != null) {
                FunctionType want = ExtismInstance.Types.chicory(uf);
                if (!want.typesMatch(im.type())) {
                    problems.add("import " + im.module() + "." + im.name() + " has type " + ModuleInfo.describe(im.type())
                            + " but the host function has " + ModuleInfo.describe(want));
                }
                continue;
            }
            switch (im.module()) {
                case Kernel.ENV -> {
                    FunctionType t = kernel.get(im.name());
                    if (t == null || !t.typesMatch(im.type())) {
                        problems.add("Invalid function import from extism:host/env: " + im.name() + " "
                                + ModuleInfo.describe(im.type()));
                        hint = "the plugin may have been built with a newer Extism PDK than this host supports";
                    }
                }
                case Kernel.LEGACY -> {
                    if (!Kernel.isLegacyName(im.name())) {
                        problems.add("unresolved import env." + im.name() + " " + ModuleInfo.describe(im.type()));
                    }
                }
                case "wasi_snapshot_preview1" -> {
                    if (!options.manifest().wasi()) {
                        problems.add("the plugin imports WASI (wasi_snapshot_preview1." + im.name() + ") but WASI is off");
                        hint = "enable WASI (qmt4j wasm call --wasi, WasmManifest.Builder.wasi(true))";
                    }
                }
                default -> problems.add("unresolved import " + im.module() + "." + im.name() + " "
                        + ModuleInfo.describe(im.type()) + " (no such host function)");
            }
        }
        if (!problems.isEmpty()) {
            Set<String> unique = new LinkedHashSet<>(problems);
            throw new PluginLoadException("cannot link plugin " + options.name() + ": " + String.join("; ", unique), hint, null);
        }
    }

    public byte[] call(String function, byte[] input, Object hostContext) {
        if (closed) {
            throw new IllegalStateException("plugin " + options.name() + " is closed");
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginTimeoutException(function, null, "call to '" + function + "' cancelled while waiting for an instance", e);
        }
        ExtismInstance inst = idle.pollFirst();
        if (inst == null) {
            inst = new ExtismInstance(this);
        }
        try {
            return inst.call(function, input, hostContext);
        } finally {
            if (closed) {
                inst.close();
            } else {
                idle.offerFirst(inst);
            }
            permits.release();
        }
    }

    public boolean functionExists(String function) {
        ModuleInfo.ExportEntry e = info.exports().get(function);
        return e != null && e.callable();
    }

    public Set<String> functions() {
        return new LinkedHashSet<>(info.callableExports());
    }

    public PluginInstance newInstance() {
        if (closed) {
            throw new IllegalStateException("plugin " + options.name() + " is closed");
        }
        return new ExtismInstance(this);
    }

    public String name() {
        return options.name();
    }

    public WasmManifest manifest() {
        return options.manifest();
    }

    public Engine engine() {
        return engine;
    }

    public void close() {
        closed = true;
        ExtismInstance i;
        while ((i = idle.pollFirst()) != null) {
            i.close();
        }
    }

    WasmModule module() {
        return module;
    }

    ModuleInfo info() {
        return info;
    }

    List<HostFunction> userFunctions() {
        return userFunctions;
    }

    Function<Instance, Machine> machineFactory() {
        return machineFactory;
    }

    LogSink logSink() {
        return logSink;
    }

    LogLevel logLevel() {
        return logLevel;
    }

    ExtismHttp http() {
        return http;
    }
}
