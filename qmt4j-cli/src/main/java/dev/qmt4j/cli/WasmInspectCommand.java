package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.wasm.ModuleSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code qmt4j wasm inspect FILE}: imports by module, exports with signatures, and the ABIs they imply. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show a Wasm plugin's imports, exports and ABI.")
final class WasmInspectCommand implements Callable<Integer> {
    @ParentCommand
    WasmCommand wasm;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .wasm module.")
    Path file;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "no such file: " + file);
        }
        ModuleSummary s = ModuleSummary.of(Files.readAllBytes(file));
        PrintStream out = wasm.context().out();
        out.println("file:    " + file);
        out.println("abi:     " + (s.abis().isEmpty() ? "none detected (plain wasm)" : String.join(", ", describe(s))));
        out.println("memory:  " + s.initialPages() + " page(s) initial" + (s.maxPages() == null ? "" : ", " + s.maxPages() + " max"));
        Map<String, List<ModuleSummary.Item>> byModule = s.imports().stream()
                .collect(Collectors.groupingBy(ModuleSummary.Item::module, LinkedHashMap::new, Collectors.toList()));
        out.println("imports: " + s.imports().size());
        byModule.forEach((module, items) -> {
            out.println("  " + module);
            for (ModuleSummary.Item i : items) {
                out.println("    " + i.name() + " " + (i.signature() == null ? "(" + i.kind() + ")" : i.signature()));
            }
        });
        out.println("exports: " + s.exports().size());
        for (ModuleSummary.Item e : s.exports()) {
            out.println("  " + e.name() + " " + (e.signature() == null ? "(" + e.kind() + ")" : e.signature()));
        }
        return 0;
    }

    private static List<String> describe(ModuleSummary s) {
        return s.abis().stream().map(a -> switch (a) {
            case ModuleSummary.EXTISM -> "extism (imports extism:host/env)";
            case ModuleSummary.EXTISM_LEGACY -> "extism-legacy (pre-1.0 env.extism_*)";
            case ModuleSummary.WASI -> "wasi-preview1 (needs --wasi)";
            case ModuleSummary.ASSEMBLYSCRIPT -> "assemblyscript (env.abort)";
            case ModuleSummary.QUERYMT_HTTP_ADAPTER -> "querymt-http-adapter (chat_request/parse_* exports)";
            case ModuleSummary.QUERYMT_LEGACY -> "querymt-legacy (plugin does HTTP through qmt_* host functions)";
            default -> a;
        }).toList();
    }
}
