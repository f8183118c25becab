package dev.qmt4j.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A single-file example program (one {@code .java} file under examples/) as a user runs it: compiled against this JVM's
 * class path, then run as a child JVM with its own output files, cache and home, so an example
 * cannot rot unnoticed.
 */
public final class ExampleProgram {
    private ExampleProgram() {}

    /**
     * What {@code javac} said.
     *
     * @param ok          whether it compiled
     * @param diagnostics its warnings and errors
     */
    public record Compilation(boolean ok, String diagnostics) {}

    /**
     * A finished run.
     *
     * @param exitCode its exit status
     * @param out      its standard output
     * @param err      its standard error
     */
    public record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Compiles {@code source} into {@code classes} for Java 17 with every lint warning an error. */
    public static Compilation compile(Path source, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        Boolean ok = javac.getTask(diagnostics, null, null,
                List.of("--release", "17", "-Xlint:all", "-Werror", "-d", classes.toString(),
                        "-classpath", System.getProperty("java.class.path")),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(source.toFile())).call();
        return new Compilation(Boolean.TRUE.equals(ok), diagnostics.toString());
    }

    /**
     * Runs {@code mainClass} from {@code classes} (then this JVM's class path) with {@code args}, no
     * standard input, and an environment without {@code QMT*} variables but with
     * {@code QMT4J_CACHE_DIR} and {@code HOME} under {@code dir} and {@code env} added; waits up to
     * two minutes (an assertion failure if it has not ended by then).
     */
    public static Run run(Path classes, String mainClass, Path dir, Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("QMT"));
        pb.environment().put("QMT4J_CACHE_DIR", dir.resolve("cache").toString());
        pb.environment().put("HOME", dir.resolve("home").toString());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            try {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), mainClass + " finished");
            } finally {
                p.destroyForcibly();
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + mainClass, e);
        }
    }
}
