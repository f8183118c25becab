package dev.qmt4j.wasm;

import dev.qmt4j.testkit.Wat2Wasm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test modules written in WAT, compiled with {@link Wat2Wasm} once per JVM. */
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
                return Wat2Wasm.compile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Compiles WAT text. */
    static byte[] text(String wat) {
        return CACHE.computeIfAbsent(wat, Wat2Wasm::compile);
    }
}
