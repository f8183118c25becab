package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j completion bash}: prints picocli's bash completion script (also usable by zsh after
 * {@code autoload -U +X bashcompinit && bashcompinit}). Install: {@code source <(qmt4j completion bash)}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script.", "Use: source <(qmt4j completion bash)"})
final class CompletionCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash (zsh can load it through bashcompinit).")
    String shell;

    @Override
    public Integer call() {
        if (!"bash".equals(shell) && !"zsh".equals(shell)) {
            throw new Qmt4jException(ErrorKind.USAGE, "unsupported shell '" + shell + "'", "supported: bash, zsh (through bashcompinit)");
        }
        CommandLine full = new CommandLine(new Qmt4jCommand(root.context));
        Qmt4jCommand.SUBCOMMANDS.values().forEach(full::addSubcommand);
        root.context.out().print(AutoComplete.bash("qmt4j", full));
        root.context.out().flush();
        return 0;
    }
}
