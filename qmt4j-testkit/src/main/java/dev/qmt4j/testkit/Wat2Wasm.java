package dev.qmt4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Compiles WebAssembly text to a binary module with wabt's {@code wat2wasm} (Debian package wabt), for test guests. */
public final class Wat2Wasm {
    private Wat2Wasm() {}

    /** The binary module for the WAT text {@code wat}; fails with wat2wasm's output if it does not compile. */
    public static byte[] compile(String wat) {
        try {
            Path dir = Files.createTempDirectory("qmt4j-wat");
            Path src = dir.resolve("m.wat");
            Path out = dir.resolve("m.wasm");
            Files.writeString(src, wat);
            Process p = new ProcessBuilder("wat2wasm", src.toString(), "-o", out.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("wat2wasm failed: " + log);
            }
            byte[] b = Files.readAllBytes(out);
            Files.delete(out);
            Files.delete(src);
            Files.delete(dir);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("wat2wasm (apt-get install wabt) is needed for these tests", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
