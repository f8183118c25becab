package dev.qmt4j.cli;

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
    private Services services;
    private final java.util.Set<String> reportedWarnings = new java.util.HashSet<>();

    CliContext(PrintStream out, PrintStream err, Map<String, String> env) {
        this(out, err, env, CliContext::systemTerminal);
    }

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
     * once as a warning (even with {@code --quiet}, like every warning).
     */
    dev.qmt4j.config.ConfigFile loadConfig(Path file) {
        return reportWarnings(dev.qmt4j.config.ConfigFile.load(file, strict));
    }

    /**
     * Prints the warnings of a config loaded elsewhere (the plugin host's), once each; with {@code --strict}
     * reads it again strictly, so its first unknown key fails with the same error as {@link #loadConfig}.
     */
    dev.qmt4j.config.ConfigFile reportWarnings(dev.qmt4j.config.ConfigFile config) {
        if (strict && !config.warnings().isEmpty()) {
            dev.qmt4j.config.ConfigFile.load(config.source(), true);
        }
        for (dev.qmt4j.config.ConfigWarning w : config.warnings()) {
            if (reportedWarnings.add(w.text())) {
                err.println("warning: " + Main.terminalSafe(w.text()));
            }
        }
        if (verbose) {
            issuerDefaultNotes(config).forEach(n -> {
                if (reportedWarnings.add(n)) {
                    err.println("note: " + Main.terminalSafe(n));
                }
            });
        }
        return config;
    }

    /** Where the config leaves the certificate issuer to QueryMT's default (GitHub Actions'), for {@code -v}. */
    private static java.util.List<String> issuerDefaultNotes(dev.qmt4j.config.ConfigFile config) {
        java.util.List<String> notes = new java.util.ArrayList<>();
        String why = " has no cert_issuer: the signing certificate's issuer must be GitHub Actions' ("
                + dev.qmt4j.sigstore.PolicyResolver.GITHUB_ACTIONS_ISSUER + "), QueryMT's default; set cert_issuer for another signer";
        if (dev.qmt4j.sigstore.PolicyResolver.defaultsIssuer(config.oci().verify())) {
            notes.add(config.source() + ": [oci]" + why);
        }
        for (dev.qmt4j.config.ProviderEntry p : config.providers()) {
            try {
                if (!p.verify().isEmpty() && dev.qmt4j.sigstore.PolicyResolver.defaultsIssuer(
                        dev.qmt4j.sigstore.PolicyResolver.settings(p.verify()))) {
                    notes.add(config.source() + ": the verify block of provider '" + p.name() + "'" + why);
                }
            } catch (dev.qmt4j.Qmt4jException e) {
                // an invalid block fails with its own error where it is used
            }
        }
        return notes;
    }

    /** Prints an informational line to stderr unless --quiet. */
    void info(String line) {
        if (!quiet) {
            err.println(line);
        }
    }
}
