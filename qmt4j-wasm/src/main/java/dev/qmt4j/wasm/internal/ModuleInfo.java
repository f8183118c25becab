package dev.qmt4j.wasm.internal;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryImport;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Imports and exports of a parsed module, with function types. */
public record ModuleInfo(List<ImportEntry> imports, Map<String, ExportEntry> exports, int initialPages, Integer maxPages) {

    /** One import: {@code type} is null for non-function imports. */
    public record ImportEntry(String module, String name, ExternalType kind, FunctionType type) {}

    /** One export: {@code type} is null for non-function exports. */
    public record ExportEntry(String name, ExternalType kind, FunctionType type) {
        /** Callable the Extism way: no parameters, no result or one i32. */
        public boolean callable() {
            return type != null && type.params().isEmpty()
                    && (type.returns().isEmpty() || type.returns().equals(List.of(ValType.I32)));
        }

        public boolean isFunction(List<ValType> params, List<ValType> results) {
            return type != null && type.params().equals(params) && type.returns().equals(results);
        }
    }

    public static ModuleInfo of(WasmModule m) {
        List<ImportEntry> imports = new ArrayList<>();
        int importedFunctions = 0;
        Integer memInitial = null;
        Integer memMax = null;
        for (int i = 0; i < m.importSection().importCount(); i++) {
            Import im = m.importSection().getImport(i);
            FunctionType t = null;
            if (im instanceof FunctionImport fi) {
                t = m.typeSection().getType(fi.typeIndex());
                importedFunctions++;
            } else if (im instanceof MemoryImport mi) {
                memInitial = mi.limits().initialPages();
            }
            imports.add(new ImportEntry(im.module(), im.name(), im.importType(), t));
        }
        List<FunctionType> funcTypes = new ArrayList<>();
        for (int i = 0; i < m.importSection().importCount(); i++) {
            if (imports.get(i).type() != null) {
                funcTypes.add(imports.get(i).type());
            }
        }
        for (int i = 0; i < m.functionSection().functionCount(); i++) {
            funcTypes.add(m.typeSection().getType(m.functionSection().getFunctionType(i)));
        }
        Map<String, ExportEntry> exports = new LinkedHashMap<>();
        for (int i = 0; i < m.exportSection().exportCount(); i++) {
            Export e = m.exportSection().getExport(i);
            FunctionType t = e.exportType() == ExternalType.FUNCTION && e.index() < funcTypes.size() ? funcTypes.get(e.index()) : null;
            exports.put(e.name(), new ExportEntry(e.name(), e.exportType(), t));
        }
        if (m.memorySection().isPresent() && m.memorySection().get().memoryCount() > 0) {
            var limits = m.memorySection().get().getMemory(0).limits();
            memInitial = limits.initialPages();
            memMax = limits.maximumPages();
        }
        return new ModuleInfo(List.copyOf(imports), java.util.Collections.unmodifiableMap(exports), memInitial == null ? 0 : memInitial, memMax);
    }

    /** Names of the callable exports, in module order. */
    public List<String> callableExports() {
        return exports.values().stream().filter(ExportEntry::callable).map(ExportEntry::name).sorted().toList();
    }

    public static String describe(FunctionType t) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < t.params().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(t.params().get(i).toString().toLowerCase(java.util.Locale.ROOT));
        }
        sb.append(") -> ");
        if (t.returns().isEmpty()) {
            sb.append("()");
        } else if (t.returns().size() == 1) {
            sb.append(t.returns().get(0).toString().toLowerCase(java.util.Locale.ROOT));
        } else {
            sb.append(t.returns().toString().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }
}
