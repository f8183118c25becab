package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@link Main#invokedSubcommand}: the global options are read off the root command's picocli model, not a hand-kept list. */
class InvokedSubcommandTest {
    private final CommandSpec root = new CommandLine(new Qmt4jCommand(
            new CliContext(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), Map.of(), () -> false)))
            .getCommandSpec();

    private Optional<Class<?>> invoked(String... args) {
        return Main.invokedSubcommand(root, args);
    }

    @Test
    void globalOptionsBeforeTheCommandAreSkippedWithTheirValues() {
        assertEquals(Optional.of(ChatCommand.class), invoked("--config", "p.toml", "chat", "hello", "hi"));
        assertEquals(Optional.of(ChatCommand.class), invoked("--config=p.toml", "-v", "chat"));
        assertEquals(Optional.of(PullCommand.class), invoked("--platform", "linux/amd64", "--cache-dir", "/c", "-q", "pull", "x"));
        assertEquals(Optional.of(ProvidersCommand.class), invoked("--quiet", "--verbose", "providers"));
    }

    @Test
    void anythingUncertainBuildsTheWholeTree() {
        assertEquals(Optional.empty(), invoked());
        assertEquals(Optional.empty(), invoked("--help", "pull"));
        assertEquals(Optional.empty(), invoked("-V"));
        assertEquals(Optional.empty(), invoked("chta"));
        assertEquals(Optional.empty(), invoked("--no-such-option", "pull"));
        assertEquals(Optional.empty(), invoked("--config"));
    }

    @Test
    void aMissingCommandListsEveryCommand() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[0], new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), Map.of());
        assertEquals(2, code);
        String text = err.toString();
        for (String name : Qmt4jCommand.SUBCOMMANDS.keySet()) {
            assertTrue(text.contains(name), name + " missing from: " + text);
        }
    }
}
