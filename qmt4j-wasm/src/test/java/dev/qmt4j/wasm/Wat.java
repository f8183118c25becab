package dev.qmt4j.wasm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Test modules written in WAT, compiled with wabt's {@code wat2wasm} (Debian package wabt) once per JVM. */
final class Wat {
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private Wat() {}

    /** The compiled bytes of {@code src/test/resources/wat/<name>.wat}. */
    static byte[] resource(String name) {
        return CACHE.computeIfAbsent("res:" + name, k -> {
            try (InputStream in = Wat.class.getResourceAsStream("/wat/" + name + ".wat")) {
                if (in == null) {
                    throw new IllegalArgumentException("no test module " + name);
                }
                return compile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Compiles WAT text. */
    static byte[] text(String wat) {
        return CACHE.computeIfAbsent(wat, Wat::compile);
    }

    private static byte[] compile(String wat) {
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
