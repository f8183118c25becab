package dev.qmt4j.wasm.internal;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.wasm.PluginCallException;
import dev.qmt4j.wasm.PluginException;
import dev.qmt4j.wasm.PluginInstance;
import dev.qmt4j.wasm.PluginLoadException;
import dev.qmt4j.wasm.PluginSandboxException;
import dev.qmt4j.wasm.PluginSandboxException.Reason;
import dev.qmt4j.wasm.PluginTimeoutException;
import dev.qmt4j.wasm.PluginTrapException;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One plugin instance: a Chicory {@link Instance} plus its {@link InstanceState}, created lazily and
 * rebuilt after a timeout, a trap or an explicit {@code _start} call. Calls follow the reference
 * sequence (https://github.com/extism/extism/blob/main/runtime/src/plugin.rs).
 */
final class ExtismInstance implements PluginInstance {
    private final PluginRuntime runtime;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean closed;

    private Instance instance;
    private InstanceState state;
    private WasiPreview1 wasi;
    /** Vars survive a rebuild after a failure (the reference keeps its instance then); {@code _start} drops them. */
    private Map<String, byte[]> carriedVars = Map.of();

    ExtismInstance(PluginRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public boolean functionExists(String function) {
        return runtime.functionExists(function);
    }

    @Override
    public byte[] call(String function, byte[] input, Object hostContext) {
        if (closed) {
            throw new IllegalStateException("plugin instance is closed");
        }
        if (!busy.compareAndSet(false, true)) {
            throw new PluginCallException(function, -1, null,
                    "cannot make reentrant or concurrent calls into one plugin instance", null);
        }
        try {
            return doCall(function, input == null ? new byte[0] : input, hostContext);
        } finally {
            busy.set(false);
        }
    }

    private byte[] doCall(String function, byte[] input, Object hostContext) {
        ModuleInfo.ExportEntry export = runtime.info().exports().get(function);
        if (export == null || export.type() == null) {
            throw new PluginCallException(function, -1, null, "Function not found: " + function + " (callable exports: "
                    + String.join(", ", runtime.info().callableExports()) + ")", null);
        }
        if (export.type().returns().size() > 1) {
            throw new PluginCallException(function, -1, null, "Function " + function + " has "
                    + export.type().returns().size() + " results, expected 0 or 1", null);
        }
        if (!export.type().params().isEmpty()) {
            throw new PluginCallException(function, -1, null, "Function " + function + " takes parameters "
                    + ModuleInfo.describe(export.type()) + "; Extism exports take none", null);
        }
        ensureInstance();
        Duration timeout = runtime.manifest().timeout();
        long timeoutNanos = timeout.isZero() ? 0 : timeout.toNanos();
        long deadline = timeoutNanos == 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        try {
            state.beginCall(input, hostContext, deadline);
        } catch (MemoryBudget.OutOfBudget e) {
            state.endCall();
            throw new PluginSandboxException(Reason.MEMORY, e.getMessage() + " (for the call's input of " + input.length
                    + " bytes)", "raise the memory limit (--memory-max-pages, memory.max_pages) or send a smaller input");
        }
        ExportFunction fn = instance.export(function);
        Watchdog.Ticket ticket = timeoutNanos == 0 ? null : Watchdog.arm(timeoutNanos);
        Throwable failure = null;
        int rc = 0;
        boolean fired;
        try {
            long[] r = fn.apply();
            rc = r == null || r.length == 0 ? 0 : (int) r[0];
        } catch (WasiExitException e) {
            rc = e.exitCode();
            failure = rc == 0 ? null : e;
        } catch (RuntimeException | StackOverflowError e) {
            failure = e;
        } finally {
            fired = ticket != null && ticket.disarm();
            state.endCall();
        }
        Arena arena = state.arena;
        if (function.equals("_start")) {
            // The reference rebuilds the store after an explicit _start: a WASI command has run its destructors.
            discard(false);
        }
        return decide(function, rc, failure, fired, timeout, arena);
    }

    private byte[] decide(String function, int rc, Throwable failure, boolean fired, Duration timeout, Arena arena) {
        if (fired) {
            discard(true);
            return thrown(new PluginTimeoutException(function, timeout, "timeout: '" + function + "' ran longer than "
                    + timeout.toMillis() + " ms and was stopped", failure));
        }
        if (failure != null && find(failure, ChicoryInterruptedException.class) != null) {
            // Not our deadline: the caller's thread was interrupted, i.e. the call was cancelled.
            discard(true);
            Thread.currentThread().interrupt();
            return thrown(new PluginTimeoutException(function, null, "call to '" + function + "' cancelled: thread interrupted", failure));
        }
        String guestError = arena.errorMessage();
        if (guestError != null) {
            if (failure != null) {
                discard(true);
            }
            return thrown(new PluginCallException(function, failure == null ? rc : -1, guestError, guestError, failure));
        }
        if (failure != null) {
            discard(true);
            return thrown(classify(function, failure));
        }
        if (rc != 0) {
            throw new PluginCallException(function, rc, null, "Returned non-zero exit code: " + rc, null);
        }
        return arena.output();
    }

    private static byte[] thrown(RuntimeException e) {
        throw e;
    }

    private RuntimeException classify(String function, Throwable failure) {
        MemoryBudget.OutOfBudget oom = find(failure, MemoryBudget.OutOfBudget.class);
        if (oom != null) {
            return new PluginSandboxException(Reason.MEMORY, oom.getMessage(),
                    "raise the memory limit (--memory-max-pages, memory.max_pages; now "
                            + runtime.manifest().maxPages() + ")");
        }
        Qmt4jException q = find(failure, Qmt4jException.class);
        if (q != null) {
            return q;
        }
        HostFunctionFailure hf = find(failure, HostFunctionFailure.class);
        if (hf != null) {
            return new PluginCallException(function, -1, null, hf.getMessage(), failure);
        }
        WasiExitException exit = find(failure, WasiExitException.class);
        if (exit != null) {
            return new PluginTrapException(function, "exited with code " + exit.exitCode(), exit.exitCode(), failure);
        }
        UserHostFunctionFailure user = find(failure, UserHostFunctionFailure.class);
        if (user != null) {
            return new PluginCallException(function, -1, null, user.getMessage(), user.getCause());
        }
        if (failure instanceof StackOverflowError) {
            return new PluginTrapException(function, "call stack exhausted", 134, failure);
        }
        String msg = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new PluginTrapException(function, msg, 134, failure);
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Drops the Chicory instance so the next call builds a fresh one. */
    private void discard(boolean keepVars) {
        carriedVars = keepVars && state != null ? Map.copyOf(state.vars) : Map.of();
        instance = null;
        state = null;
        if (wasi != null) {
            wasi.close();
            wasi = null;
        }
    }

    private void ensureInstance() {
        if (instance != null) {
            return;
        }
        ModuleInfo info = runtime.info();
        var manifest = runtime.manifest();
        if (info.initialPages() > manifest.maxPages()) {
            throw new PluginSandboxException(Reason.MEMORY, "oom: the module's initial memory of " + info.initialPages()
                    + " pages exceeds the memory limit of " + manifest.maxPages() + " pages (the limit covers the"
                    + " module's memory and Extism memory together)",
                    "raise the memory limit (--memory-max-pages, memory.max_pages) to at least " + (info.initialPages() + 1));
        }
        InstanceState s = new InstanceState(runtime.name(), manifest, runtime.logSink(), runtime.logLevel(), runtime.http());
        s.vars.putAll(carriedVars);
        List<HostFunction> fns = new ArrayList<>(Kernel.functions(s));
        for (dev.qmt4j.wasm.HostFunction uf : runtime.userFunctions()) {
            fns.add(new HostFunction(uf.namespace(), uf.name(), Types.chicory(uf), (inst, args) -> {
                try {
                    long[] r = uf.implementation().apply(s, args);
                    return r == null || r.length == 0 ? null : r;
                } catch (Qmt4jException | MemoryBudget.OutOfBudget | HostFunctionFailure e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new UserHostFunctionFailure("host function " + uf.namespace() + "." + uf.name() + " failed: " + e, e);
                }
            }));
        }
        WasiPreview1 w = null;
        if (manifest.wasi()) {
            w = WasiPreview1.builder().withOptions(wasiOptions(manifest)).build();
            fns.addAll(List.of(w.toHostFunctions()));
        }
        Instance.Builder b = Instance.builder(runtime.module())
                .withImportValues(ImportValues.builder().withFunctions(new ArrayList<>(fns)).build())
                .withMemoryFactory(limits -> new LimitedMemory(limits, s.budget))
                .withStart(false);
        if (runtime.machineFactory() != null) {
            b.withMachineFactory(runtime.machineFactory());
        }
        Instance inst;
        try {
            inst = b.build();
            initialize(inst, info);
        } catch (PluginException e) {
            throw e;
        } catch (MemoryBudget.OutOfBudget e) {
            throw new PluginSandboxException(Reason.MEMORY, e.getMessage(), "raise the memory limit (--memory-max-pages)");
        } catch (RuntimeException | StackOverflowError e) {
            if (w != null) {
                w.close();
            }
            throw new PluginLoadException("failed to initialize plugin " + runtime.name() + ": " + e.getMessage(), null, e);
        }
        instance = inst;
        state = s;
        wasi = w;
        carriedVars = Map.of();
    }

    /** As the reference runtime does: hs_init (after _initialize), else __wasm_call_ctors, else _initialize; never _start. */
    private static void initialize(Instance inst, ModuleInfo info) {
        var exports = info.exports();
        ModuleInfo.ExportEntry hs = exports.get("hs_init");
        ModuleInfo.ExportEntry init = exports.get("_initialize");
        boolean initOk = init != null && init.isFunction(List.of(), List.of());
        if (hs != null && hs.type() != null) {
            if (initOk) {
                inst.export("_initialize").apply();
            }
            inst.export("hs_init").apply(0, 0);
            return;
        }
        ModuleInfo.ExportEntry ctors = exports.get("__wasm_call_ctors");
        if (ctors != null && ctors.type() != null) {
            if (ctors.isFunction(List.of(), List.of())) {
                inst.export("__wasm_call_ctors").apply();
            }
            return;
        }
        if (initOk) {
            inst.export("_initialize").apply();
        }
    }

    /** WASI as the reference configures it: no args, no environment, stdio discarded, only the allowed paths. */
    private static WasiOptions wasiOptions(dev.qmt4j.wasm.WasmManifest manifest) {
        WasiOptions.Builder o = WasiOptions.builder()
                .withStdin(new ByteArrayInputStream(new byte[0]))
                .withStdout(OutputStream.nullOutputStream())
                .withStderr(OutputStream.nullOutputStream())
                .withArguments(List.of());
        for (Map.Entry<Path, String> e : manifest.allowedPaths().entrySet()) {
            String host = e.getKey().toString();
            if (host.startsWith("ro:")) {
                throw new PluginLoadException("read-only allowed paths (ro:" + host.substring(3) + ") are not supported yet",
                        "map the directory read-write or leave it out", null);
            }
            o.withDirectory(e.getValue(), e.getKey().toAbsolutePath());
        }
        return o.build();
    }

    @Override
    public void close() {
        closed = true;
        if (!busy.get()) {
            discard(false);
        }
    }

    /** Chicory value types for a public host function. */
    static final class Types {
        private Types() {}

        static FunctionType chicory(dev.qmt4j.wasm.HostFunction f) {
            return FunctionType.of(f.params().stream().map(Types::of).toList(), f.results().stream().map(Types::of).toList());
        }

        static ValType of(dev.qmt4j.wasm.ValueType t) {
            return switch (t) {
                case I32 -> ValType.I32;
                case I64 -> ValType.I64;
                case F32 -> ValType.F32;
                case F64 -> ValType.F64;
            };
        }
    }
}
