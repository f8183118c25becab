package dev.qmt4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What every command shares: the streams, the environment and the global options. One instance
 * per {@link Main#run} call; the global option fields are set by picocli on {@link Qmt4jCommand}.
 */
final class CliContext {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    Path configFile;
    Path cacheDir;
    boolean verbose;
    boolean quiet;
    private Services services;

    CliContext(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
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

    /** Prints an informational line to stderr unless --quiet. */
    void info(String line) {
        if (!quiet) {
            err.println(line);
        }
    }
}
