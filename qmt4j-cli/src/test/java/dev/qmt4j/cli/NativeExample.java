package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The example native provider (qmt4j-native/examples/echo-provider/echo_provider.c) built for CLI
 * tests with the real toolchains: gcc for this machine, aarch64-linux-gnu-gcc for linux/arm64 when
 * that cross compiler is installed, and clang + wasm-ld (qmt4j-native/wasm-adapter/build-wasm.sh)
 * for the Wasm build of the same source.
 */
final class NativeExample {
    static final Path REPO = CliHostCommandsTest.REPO;
    static final String CROSS_GCC = "aarch64-linux-gnu-gcc";
    private static final Path SOURCE = REPO.resolve("qmt4j-native/examples/echo-provider/echo_provider.c");

    private NativeExample() {}

    /** Compiles the provider with gcc into {@code dir/libecho_provider.so}; skips off Linux, fails with the install hint without gcc. */
    static Path library(Path dir) {
        assumeTrue(System.getProperty("os.name", "").toLowerCase().contains("linux"), "builds a .so: Linux only");
        return gcc("gcc", dir.resolve("libecho_provider.so"));
    }

    /**
     * Cross-compiles the provider for linux/arm64 into {@code dir/arm64/libecho_provider.so}; empty
     * when the optional cross compiler is absent or cannot build (e.g. installed without its C
     * library headers), as qmt4j-native/build.sh decides.
     */
    static Optional<Path> arm64Library(Path dir) throws IOException {
        if (!onPath(CROSS_GCC)) {
            return Optional.empty();
        }
        Files.createDirectories(dir.resolve("arm64"));
        Path lib = dir.resolve("arm64/libecho_provider.so");
        try {
            return Optional.of(gcc(CROSS_GCC, lib));
        } catch (AssertionError cannotBuild) {
            System.out.println("NativeExample: " + CROSS_GCC + " cannot build, no linux/arm64 build: "
                    + cannotBuild.getMessage().lines().filter(l -> l.contains("error")).findFirst().orElse(""));
            Files.deleteIfExists(lib);
            return Optional.empty();
        }
    }

    /** Builds the provider as a Wasm plugin (clang, the Extism adapter and minilibc) into {@code dir/echo_provider.wasm}. */
    static Path wasm(Path dir) {
        Path out = dir.resolve("echo_provider.wasm");
        run(List.of("sh", REPO.resolve("qmt4j-native/wasm-adapter/build-wasm.sh").toString(), out.toString(), SOURCE.toString()), out,
                "clang and wasm-ld are needed to build the Wasm provider (apt-get install clang lld)");
        return out;
    }

    static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    private static Path gcc(String compiler, Path lib) {
        run(List.of(compiler, "-shared", "-fPIC", "-O2", "-I", REPO.resolve("qmt4j-native/include").toString(),
                "-o", lib.toString(), SOURCE.toString()), lib,
                compiler + " is needed to build the native test provider (apt-get install "
                        + (compiler.equals("gcc") ? "gcc" : "gcc-aarch64-linux-gnu") + ")");
        return lib;
    }

    private static void run(List<String> command, Path out, String missingHint) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), command.get(0) + " timed out");
            assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + log);
        } catch (IOException e) {
            throw new AssertionError(missingHint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        assertTrue(Files.isRegularFile(out), "not built: " + out);
    }
}
