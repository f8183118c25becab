package dev.qmt4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code qmt4j sigstore}: low-level Sigstore tools (the sigstore-conformance client protocol). */
@Command(name = "sigstore", mixinStandardHelpOptions = true,
        description = "Low-level Sigstore operations on files (bundle verification).",
        subcommands = {SigstoreVerifyBundleCommand.class})
final class SigstoreCommand implements Runnable {
    @ParentCommand
    Qmt4jCommand root;

    @Spec
    CommandSpec spec;

    CliContext context() {
        return root.context;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing sigstore command: verify-bundle");
    }
}
