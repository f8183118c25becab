package dev.qmt4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process with a private cache directory and captures its output. */
final class Cli {
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env = new HashMap<>();
    private boolean terminal;

    Cli(Path cacheDir) {
        env.put("QMT4J_CACHE_DIR", cacheDir.toString());
        env.put("HOME", cacheDir.resolve("home").toString());
        env.put("DOCKER_CONFIG", cacheDir.resolve("docker").toString());
    }

    Map<String, String> env() {
        return env;
    }

    /** Makes the CLI believe it runs on a terminal (progress bars), or not (the default). */
    Cli terminal(boolean on) {
        terminal = on;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            boolean tty = terminal;
            code = Main.run(args, o, e, env, () -> tty);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
