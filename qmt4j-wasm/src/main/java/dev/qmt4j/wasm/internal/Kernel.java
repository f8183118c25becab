package dev.qmt4j.wasm.internal;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.qmt4j.wasm.LogLevel;
import dev.qmt4j.wasm.PluginSandboxException;
import dev.qmt4j.wasm.PluginSandboxException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The functions of {@code extism:host/env}: the 20 kernel functions over {@link Arena} and the 12
 * built-ins (config, vars, HTTP, logging), with the reference semantics
 * (https://github.com/extism/extism/blob/main/kernel/src/lib.rs, https://github.com/extism/extism/blob/main/runtime/src/pdk.rs).
 * Also the pre-1.0 names ({@code env.extism_*}) and AssemblyScript's {@code env.abort}.
 */
public final class Kernel {
    public static final String ENV = "extism:host/env";
    public static final String LEGACY = "env";

    /**
     * The JSON mapper of {@code http_request} and {@code http_headers}, built on first use: building a
     * Jackson mapper in a fresh JVM takes longer than a whole one-shot {@code qmt4j wasm call} of a
     * plugin that makes no HTTP request (docs/benchmarks.md, "Provider start-up").
     */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder().build();
    }

    private static final long[] NONE = null;
    private static final List<ValType> V = List.of();
    private static final List<ValType> I64 = List.of(ValType.I64);
    private static final List<ValType> I64_I64 = List.of(ValType.I64, ValType.I64);
    private static final List<ValType> I32 = List.of(ValType.I32);

    /** Names that existed in the legacy {@code env} module with the {@code extism_} prefix (Extism before 1.0; docs/wasm.md). */
    private static final Set<String> LEGACY_NAMES = Set.of("alloc", "free", "length", "load_u8", "load_u64",
            "input_load_u8", "input_load_u64", "store_u8", "store_u64", "input_set", "output_set", "input_length",
            "input_offset", "output_length", "output_offset", "reset", "error_set", "error_get", "memory_bytes",
            "config_get", "var_get", "var_set", "http_request", "http_status_code", "log_warn", "log_info", "log_debug",
            "log_error");

    private Kernel() {}

    /** The wasm types of every {@code extism:host/env} function, for import checks and {@code inspect}. */
    public static Map<String, FunctionType> signatures() {
        Map<String, FunctionType> m = new LinkedHashMap<>();
        for (HostFunction f : functions(null)) {
            if (f.module().equals(ENV)) {
                m.put(f.name(), f.functionType());
            }
        }
        return m;
    }

    /** Whether {@code env.name} is one of the legacy names this host provides. */
    public static boolean isLegacyName(String name) {
        return name.equals("abort") || (name.startsWith("extism_") && LEGACY_NAMES.contains(name.substring(7)));
    }

    /** The host functions bound to one instance's state ({@code s} may be null only for {@link #signatures()}). */
    static List<HostFunction> functions(InstanceState s) {
        List<HostFunction> out = new ArrayList<>(64);
        Arena a = s == null ? null : s.arena;
        // Kernel (https://github.com/extism/extism/blob/main/kernel/src/lib.rs)
        def(out, "alloc", I64, I64, (i, x) -> new long[] {a.alloc(x[0])});
        def(out, "free", I64, V, (i, x) -> {
            a.free(x[0]);
            return NONE;
        });
        def(out, "length", I64, I64, (i, x) -> new long[] {a.length(x[0])});
        def(out, "length_unsafe", I64, I64, (i, x) -> new long[] {a.length(x[0])});
        def(out, "load_u8", I64, I32, (i, x) -> new long[] {a.loadU8(x[0])});
        def(out, "load_u64", I64, I64, (i, x) -> new long[] {a.loadU64(x[0])});
        def(out, "store_u8", List.of(ValType.I64, ValType.I32), V, (i, x) -> {
            a.storeU8(x[0], (int) x[1]);
            return NONE;
        });
        def(out, "store_u64", I64_I64, V, (i, x) -> {
            a.storeU64(x[0], x[1]);
            return NONE;
        });
        def(out, "input_length", V, I64, (i, x) -> new long[] {a.inputLength()});
        def(out, "input_offset", V, I64, (i, x) -> new long[] {a.inputHandle()});
        def(out, "input_load_u8", I64, I32, (i, x) -> new long[] {a.inputLoadU8(x[0])});
        def(out, "input_load_u64", I64, I64, (i, x) -> new long[] {a.inputLoadU64(x[0])});
        def(out, "input_set", I64_I64, V, (i, x) -> {
            a.inputSet(x[0], x[1]);
            return NONE;
        });
        def(out, "output_set", I64_I64, V, (i, x) -> {
            a.outputSet(x[0], x[1]);
            return NONE;
        });
        def(out, "output_length", V, I64, (i, x) -> new long[] {a.outputLength()});
        def(out, "output_offset", V, I64, (i, x) -> new long[] {a.outputAddr()});
        def(out, "error_set", I64, V, (i, x) -> {
            a.errorSet(x[0]);
            return NONE;
        });
        def(out, "error_get", V, I64, (i, x) -> new long[] {a.errorHandle()});
        def(out, "reset", V, V, (i, x) -> {
            a.reset();
            return NONE;
        });
        def(out, "memory_bytes", V, I64, (i, x) -> new long[] {a.capacity()});
        // Built-ins (https://github.com/extism/extism/blob/main/runtime/src/pdk.rs)
        def(out, "config_get", I64, I64, (i, x) -> new long[] {configGet(s, x[0])});
        def(out, "var_get", I64, I64, (i, x) -> new long[] {varGet(s, x[0])});
        def(out, "var_set", I64_I64, V, (i, x) -> {
            varSet(s, x[0], x[1]);
            return NONE;
        });
        def(out, "http_request", I64_I64, I64, (i, x) -> new long[] {httpRequest(s, x[0], x[1])});
        def(out, "http_status_code", V, I32, (i, x) -> new long[] {s.httpStatus});
        def(out, "http_headers", V, I64, (i, x) -> new long[] {httpHeaders(s)});
        for (LogLevel level : List.of(LogLevel.TRACE, LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR)) {
            def(out, "log_" + level.name().toLowerCase(java.util.Locale.ROOT), I64, V, (i, x) -> {
                log(s, level, x[0]);
                return NONE;
            });
        }
        def(out, "get_log_level", V, I32, (i, x) -> new long[] {s.logLevel.extismValue()});
        // Legacy aliases (Extism before 1.0), same implementations.
        List<HostFunction> legacy = new ArrayList<>();
        for (HostFunction f : out) {
            if (LEGACY_NAMES.contains(f.name())) {
                legacy.add(new HostFunction(LEGACY, "extism_" + f.name(), f.functionType(), f.handle()));
            }
        }
        out.addAll(legacy);
        // AssemblyScript's abort(message, file, line, column): trap with the message
        // (https://www.assemblyscript.org/concepts.html#special-imports).
        out.add(new HostFunction(LEGACY, "abort",
                FunctionType.of(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), V),
                (inst, x) -> {
                    throw new TrapException("abort: " + asString(inst, (int) x[0]) + " at " + asString(inst, (int) x[1])
                            + ":" + x[2] + ":" + x[3]);
                }));
        return out;
    }

    private static void def(List<HostFunction> out, String name, List<ValType> params, List<ValType> results,
            WasmFunctionHandle h) {
        out.add(new HostFunction(ENV, name, FunctionType.of(params, results), h));
    }

    /** Reads an AssemblyScript string (UTF-16LE, byte length in the 4 bytes before it); "?" if unreadable. */
    private static String asString(Instance inst, int ptr) {
        try {
            if (ptr < 4 || inst.memory() == null) {
                return "?";
            }
            int len = inst.memory().readInt(ptr - 4);
            if (len < 0 || len > 4096) {
                return "?";
            }
            return new String(inst.memory().readBytes(ptr, len), StandardCharsets.UTF_16LE);
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String utf8(byte[] b, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new HostFunctionFailure(what + " is not valid UTF-8");
        }
    }

    static long configGet(InstanceState s, long key) {
        String k = utf8(s.handleArg(key, "config key"), "config key");
        s.arena.free(key);
        String v = s.manifest.config().get(k);
        return v == null ? 0 : s.arena.write(v.getBytes(StandardCharsets.UTF_8));
    }

    static long varGet(InstanceState s, long key) {
        String k = utf8(s.handleArg(key, "var key"), "var key");
        s.arena.free(key);
        byte[] v = s.vars.get(k);
        return v == null ? 0 : s.arena.write(v);
    }

    /**
     * Reference algorithm ({@code var_set} in https://github.com/extism/extism/blob/main/runtime/src/pdk.rs),
     * including its 48-bytes-per-entry accounting.
     */
    static void varSet(InstanceState s, long key, long value) {
        long max = s.manifest.maxVarBytes();
        if (max == 0) {
            throw new PluginSandboxException(Reason.VAR_STORE, "Vars are disabled by this host", null);
        }
        String k = utf8(s.handleArg(key, "var key"), "var key");
        if (value == 0) {
            s.vars.remove(k);
            s.arena.free(key);
            return;
        }
        byte[] v = s.handleArg(value, "var value");
        long size = 48L + k.getBytes(StandardCharsets.UTF_8).length + v.length;
        for (Map.Entry<String, byte[]> e : s.vars.entrySet()) {
            size += 48L + e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().length;
        }
        if (size > max) {
            throw new PluginSandboxException(Reason.VAR_STORE, "Variable store is full",
                    "the plugin's vars would take " + size + " bytes; the limit (memory.max_var_bytes) is " + max);
        }
        s.vars.put(k, v);
        s.arena.free(key);
        s.arena.free(value);
    }

    static long httpRequest(InstanceState s, long request, long body) {
        s.httpStatus = 0;
        s.httpHeaders = Map.of();
        byte[] reqBytes = s.handleArg(request, "http request");
        s.arena.free(request);
        JsonNode req;
        try {
            req = Json.MAPPER.readTree(reqBytes);
        } catch (RuntimeException e) {
            throw new HostFunctionFailure("invalid http request JSON: " + e.getMessage(), e);
        }
        if (req == null || !req.isObject() || !req.path("url").isString()) {
            throw new HostFunctionFailure("invalid http request JSON: an object with a string \"url\" is required");
        }
        String url = req.get("url").asString();
        JsonNode methodNode = req.get("method");
        String method = methodNode == null || methodNode.isNull() ? null : methodNode.asString();
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = req.has("headers") ? req.get("headers") : req.get("header");
        if (h != null && h.isObject()) {
            for (Map.Entry<String, JsonNode> e : h.properties()) {
                headers.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
            }
        }
        byte[] bodyBytes = s.handleArg(body, "http request body");
        s.arena.free(body);
        ExtismHttp.Response resp;
        try {
            resp = s.http.send(s.manifest, url, method, headers, bodyBytes, s.deadlineNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostFunctionFailure("timeout", e);
        }
        s.httpStatus = resp.status();
        if (s.manifest.httpResponseHeaders()) {
            s.httpHeaders = resp.headers();
        }
        return s.arena.write(resp.body());
    }

    static long httpHeaders(InstanceState s) {
        if (!s.manifest.httpResponseHeaders()) {
            return 0;
        }
        return s.arena.write(Json.MAPPER.writeValueAsBytes(s.httpHeaders));
    }

    static void log(InstanceState s, LogLevel level, long msg) {
        if (!s.logLevel.enables(level)) {
            s.arena.free(msg);
            return;
        }
        byte[] b = s.handleArg(msg, "log message");
        s.arena.free(msg);
        String text;
        try {
            text = utf8(b, "log message");
        } catch (HostFunctionFailure e) {
            s.logSink.log(LogLevel.ERROR, s.pluginName, "unable to log message: not valid UTF-8");
            return;
        }
        s.logSink.log(level, s.pluginName, text);
    }
}
