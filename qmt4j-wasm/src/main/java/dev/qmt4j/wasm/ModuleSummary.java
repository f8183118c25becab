package dev.qmt4j.wasm;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.qmt4j.wasm.internal.ModuleInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a module imports and exports and which plugin ABIs that suggests; for {@code qmt4j wasm
 * inspect} and for choosing how to drive a plugin.
 *
 * @param abis detected ABIs, a subset of {@link #EXTISM}, {@link #EXTISM_LEGACY}, {@link #WASI},
 *     {@link #ASSEMBLYSCRIPT}, {@link #QUERYMT_HTTP_ADAPTER}, {@link #QUERYMT_LEGACY}
 */
public record ModuleSummary(List<Item> imports, List<Item> exports, int initialPages, Integer maxPages, Set<String> abis) {
    public static final String EXTISM = "extism";
    public static final String EXTISM_LEGACY = "extism-legacy";
    public static final String WASI = "wasi-preview1";
    public static final String ASSEMBLYSCRIPT = "assemblyscript";
    public static final String QUERYMT_HTTP_ADAPTER = "querymt-http-adapter";
    public static final String QUERYMT_LEGACY = "querymt-legacy";

    /** The exports whose presence means QueryMT's HTTP-adapter ABI (reference 1.14 A). */
    public static final List<String> HTTP_ADAPTER_EXPORTS = List.of("chat_request", "chat_stream_request",
            "parse_chat_response", "list_models_request", "parse_list_models_response");

    /**
     * An import or export.
     *
     * @param module the import module, or null for exports
     * @param kind function, memory, table, global or tag
     * @param signature e.g. {@code (i64) -> i32} for functions, else null
     */
    public record Item(String module, String name, String kind, String signature) {}

    /**
     * Parses {@code wasm}.
     *
     * @throws PluginLoadException when it is not a valid module
     */
    public static ModuleSummary of(byte[] wasm) {
        WasmModule m;
        try {
            m = Parser.parse(wasm);
        } catch (RuntimeException e) {
            throw new PluginLoadException("not a valid WebAssembly module: " + e.getMessage(), null, e);
        }
        ModuleInfo info = ModuleInfo.of(m);
        List<Item> imports = new ArrayList<>();
        Set<String> abis = new LinkedHashSet<>();
        for (ModuleInfo.ImportEntry im : info.imports()) {
            imports.add(new Item(im.module(), im.name(), im.kind().name().toLowerCase(Locale.ROOT),
                    im.type() == null ? null : ModuleInfo.describe(im.type())));
            switch (im.module()) {
                case "extism:host/env" -> abis.add(EXTISM);
                case "wasi_snapshot_preview1" -> abis.add(WASI);
                case "env" -> {
                    if (im.name().startsWith("extism_")) {
                        abis.add(EXTISM_LEGACY);
                    } else if (im.name().equals("abort")) {
                        abis.add(ASSEMBLYSCRIPT);
                    }
                }
                default -> { }
            }
            if (im.name().startsWith("qmt_")) {
                abis.add(QUERYMT_LEGACY);
            }
        }
        List<Item> exports = new ArrayList<>();
        for (ModuleInfo.ExportEntry e : info.exports().values()) {
            exports.add(new Item(null, e.name(), e.kind().name().toLowerCase(Locale.ROOT),
                    e.type() == null ? null : ModuleInfo.describe(e.type())));
        }
        if (HTTP_ADAPTER_EXPORTS.stream().allMatch(info.exports()::containsKey)) {
            abis.add(QUERYMT_HTTP_ADAPTER);
            abis.remove(QUERYMT_LEGACY);
        } else if (info.exports().containsKey("chat") || info.exports().containsKey("list_models")) {
            abis.add(QUERYMT_LEGACY);
        }
        return new ModuleSummary(List.copyOf(imports), List.copyOf(exports), info.initialPages(), info.maxPages(),
                java.util.Collections.unmodifiableSet(abis));
    }
}
