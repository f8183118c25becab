package dev.qmt4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code qmt4j cache}: the group of cache subcommands. */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "List, prune, verify and remove cached plugins.",
        subcommands = {CacheLsCommand.class, CachePruneCommand.class, CacheRmCommand.class, CachePathCommand.class,
                CacheVerifyCommand.class})
final class CacheCommand implements Runnable {
    @ParentCommand
    Qmt4jCommand root;

    @Spec
    CommandSpec spec;

    CliContext context() {
        return root.context;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing cache command: ls, prune, rm, verify or path");
    }
}
