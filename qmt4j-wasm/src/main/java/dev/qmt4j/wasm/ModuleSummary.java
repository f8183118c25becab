package dev.qmt4j.wasm;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.SectionId;
import com.dylibso.chicory.wasm.types.TypeSection;
import dev.qmt4j.wasm.internal.ModuleInfo;
import java.io.ByteArrayInputStream;
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
            imports.add(importItem(im.module(), im.name(), im.kind(), im.type()));
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

    /**
     * The imports of {@code wasm}, as {@link #of} lists them, read from the module's type and import
     * sections only: function bodies are neither decoded nor validated. For a caller that only needs
     * to know which host functions to link ({@code qmt4j wasm call}), where {@link #of} would parse and
     * validate the whole module a second time (in a fresh JVM that parse is a large share of a
     * one-shot call: docs/benchmarks.md, "Provider start-up"). A module this accepts may still be
     * invalid; building a plugin of it reports that.
     *
     * @throws PluginLoadException when the header, the type section or the import section is malformed
     */
    public static List<Item> importsOf(byte[] wasm) {
        TypeSection[] types = new TypeSection[1];
        ImportSection[] section = new ImportSection[1];
        List<Item> imports = new ArrayList<>();
        try {
            Parser.builder().includeSectionId(SectionId.TYPE).includeSectionId(SectionId.IMPORT).build()
                    .parse(new ByteArrayInputStream(wasm), s -> {
                        if (s instanceof TypeSection t) {
                            types[0] = t;
                        } else if (s instanceof ImportSection i) {
                            section[0] = i;
                        }
                    });
            for (int i = 0; section[0] != null && i < section[0].importCount(); i++) {
                Import im = section[0].getImport(i);
                FunctionType type = null;
                if (im instanceof FunctionImport fi) {
                    if (types[0] == null || fi.typeIndex() >= types[0].typeCount()) {
                        throw new IllegalArgumentException("unknown type " + fi.typeIndex() + " of import " + im.module() + "." + im.name());
                    }
                    type = types[0].getType(fi.typeIndex());
                }
                imports.add(importItem(im.module(), im.name(), im.importType(), type));
            }
        } catch (RuntimeException e) {
            throw new PluginLoadException("not a valid WebAssembly module: " + e.getMessage(), null, e);
        }
        return List.copyOf(imports);
    }

    private static Item importItem(String module, String name, ExternalType kind, FunctionType type) {
        return new Item(module, name, kind.name().toLowerCase(Locale.ROOT), type == null ? null : ModuleInfo.describe(type));
    }
}
