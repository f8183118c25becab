package dev.qmt4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code qmt4j wasm}: run and inspect Wasm (Extism) plugins directly. */
@Command(name = "wasm", mixinStandardHelpOptions = true, description = "Call or inspect a Wasm (Extism) plugin file.",
        subcommands = {WasmCallCommand.class, WasmInspectCommand.class})
final class WasmCommand implements Runnable {
    @ParentCommand
    Qmt4jCommand root;

    @Spec
    CommandSpec spec;

    CliContext context() {
        return root.context;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing wasm command: call or inspect");
    }
}
