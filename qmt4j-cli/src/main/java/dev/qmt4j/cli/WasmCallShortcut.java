package dev.qmt4j.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code qmt4j wasm call FILE FUNC [--input STR]}, the plain form of a one-shot call, set up without
 * picocli. picocli's reflective model of {@code qmt4j}, {@code wasm} and {@code call} (annotations,
 * reflection, its Java 5 classes verified on every start) is a large share of such a call
 * (docs/benchmarks.md, "Provider start-up"). Any other form, and any argument picocli could read
 * differently (an option-like or {@code @file} argument, anything else after FUNC), is left to picocli;
 * for the plain form the command's fields are exactly what picocli would set.
 */
final class WasmCallShortcut {
    private WasmCallShortcut() {}

    /** The command these arguments make, or empty when picocli has to parse them. */
    static Optional<WasmCallCommand> of(String[] args, CliContext context) {
        if ((args.length != 4 && args.length != 6) || !args[0].equals("wasm") || !args[1].equals("call")
                || (args.length == 6 && !args[4].equals("--input"))) {
            return Optional.empty();
        }
        for (int i = 2; i < args.length; i++) {
            // "-...": an option, or a value picocli may take for one; "@...": a picocli argument file
            if (i != 4 && (args[i].isEmpty() || args[i].charAt(0) == '-' || args[i].charAt(0) == '@')) {
                return Optional.empty();
            }
        }
        Path file;
        try {
            file = Path.of(args[2]);
        } catch (InvalidPathException e) {
            return Optional.empty(); // picocli reports it as a usage error
        }
        WasmCallCommand call = new WasmCallCommand();
        call.wasm = new WasmCommand();
        call.wasm.root = new Qmt4jCommand(context);
        call.file = file;
        call.function = args[3];
        call.input = args.length == 6 ? args[5] : null;
        call.loop = 1; // the option's default value
        return Optional.of(call);
    }
}
