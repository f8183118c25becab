package dev.qmt4j.cli;

import dev.qmt4j.config.ConfigFile;
import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What every command shares: the streams, the environment and the global options. One instance
 * per {@link Main#run} call; the global option fields are set by picocli on {@link Qmt4jCommand}.
 */
final class CliContext {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final BooleanSupplier terminal;
    Path configFile;
    Path cacheDir;
    /** --platform for the provider commands (and pull's default), as written; parsed where it is used. */
    String platform;
    boolean verbose;
    boolean quiet;
    /** --strict: unknown config keys are errors, not warnings. */
    boolean strict;
    /** --locked: the provider commands load from the lockfile (docs/locking.md). */
    boolean locked;
    private Services services;
    private final ConfigNotices notices = new ConfigNotices();

    /** @param terminal whether the user watches the output on a terminal (progress bars); tests force it */
    CliContext(PrintStream out, PrintStream err, Map<String, String> env, BooleanSupplier terminal) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.terminal = terminal;
    }

    /** True when progress may be drawn as a bar: the process runs on an interactive terminal. */
    boolean terminal() {
        return terminal.getAsBoolean();
    }

    /**
     * The JVM's view of the terminal: a console exists (stdin and stdout are terminals; stderr cannot be
     * asked from Java) and, on Java 22+, {@code Console.isTerminal()} agrees, since there a console can
     * exist without a terminal.
     */
    static boolean systemTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22 a console always means a terminal
        }
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    Map<String, String> env() {
        return env;
    }

    Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    boolean verbose() {
        return verbose;
    }

    boolean quiet() {
        return quiet;
    }

    /** The wiring (config, cache, registry, puller), built on first use. */
    Services services() {
        if (services == null) {
            services = new Services(this);
            if (configFile != null) {
                // A broken config fails every command, not only those that happen to read it.
                services.settings();
            }
        }
        return services;
    }

    /**
     * Reads a config file the CLI's way: strictly with {@code --strict}, else with each ignored key printed
     * once as a warning (even with {@code --quiet}, like every warning); see {@link ConfigNotices}.
     */
    ConfigFile loadConfig(Path file) {
        return reportWarnings(ConfigFile.load(file, strict));
    }

    /** Reports a config read elsewhere (the plugin host's) as {@link #loadConfig} does; with --strict an ignored key fails. */
    ConfigFile reportWarnings(ConfigFile config) {
        return notices.report(config, strict, verbose, err);
    }

    /** Prints an informational line to stderr unless --quiet. */
    void info(String line) {
        if (!quiet) {
            err.println(line);
        }
    }
}
