package dev.qmt4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short-lived helper commands (htpasswd, openssl, skopeo) and returns their output. */
final class Processes {
    private Processes() {}

    /** The result of a finished command. */
    record Result(int exitCode, String stdout, String stderr) {}

    static Result run(List<String> command, String stdin, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("qmt4j-proc", ".out");
            Path err = Files.createTempFile("qmt4j-proc", ".err");
            try {
                Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                try (var in = p.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new IllegalStateException("timed out after " + timeoutSeconds + "s: " + command);
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** Runs a command that must succeed; returns its stdout. */
    static String check(List<String> command, String stdin) {
        Result r = run(command, stdin, 120);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("command failed (exit " + r.exitCode() + "): " + String.join(" ", command)
                    + "\n" + r.stderr() + r.stdout());
        }
        return r.stdout();
    }

    static void requireExecutable(Path path, String aptPackage) {
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " is missing; install it with: apt-get install -y " + aptPackage);
        }
    }
}
