package dev.qmt4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} class of the test class path in a fresh JVM and reports which classes it loaded, for
 * tests that assert what a path does <em>not</em> load (BouncyCastle on a keyed cache hit, the JDK's TLS code on
 * a plain-HTTP pull): only a new JVM starts with nothing loaded.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * A finished child JVM.
     *
     * @param exitCode      its exit status
     * @param output        its standard output and error, interleaved
     * @param loadedClasses the binary names of every class it loaded, in load order
     */
    public record Run(int exitCode, String output, List<String> loadedClasses) {
        public Run {
            loadedClasses = List.copyOf(loadedClasses);
        }

        /** The loaded classes whose name starts with {@code prefix} (a package or a class name). */
        public List<String> loaded(String prefix) {
            return loadedClasses.stream().filter(c -> c.startsWith(prefix)).toList();
        }
    }

    /**
     * Runs {@code main} with {@code args} on this JVM's class path and waits up to two minutes.
     *
     * @throws IllegalStateException when it cannot start or does not end in time
     */
    public static Run run(Class<?> main, List<String> args) {
        try {
            Path log = Files.createTempFile("qmt4j-classes", ".log");
            try {
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"), main.getName()));
                cmd.addAll(args);
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out;
                try (var in = p.getInputStream()) {
                    out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new IllegalStateException("child JVM " + main.getName() + " did not end: " + out);
                }
                return new Run(p.exitValue(), out, classNames(Files.readAllLines(log, StandardCharsets.UTF_8)));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + main.getName(), e);
        }
    }

    /** The class names of {@code -Xlog:class+load} lines: {@code [uptime][info][class,load] NAME source: ...}. */
    private static List<String> classNames(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int start = line.indexOf("[class,load] ");
            if (start < 0) {
                continue;
            }
            String rest = line.substring(start + "[class,load] ".length());
            int end = rest.indexOf(' ');
            out.add(end < 0 ? rest : rest.substring(0, end));
        }
        return out;
    }
}
