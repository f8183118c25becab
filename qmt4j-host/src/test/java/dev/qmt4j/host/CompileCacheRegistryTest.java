package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.qmt4j.testplugins.TestPlugins;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's default loader keeps Chicory's bytecode for each Wasm provider in
 * {@code <cache>/wasm-compiled}, so the next process loads it instead of compiling the module again.
 */
class CompileCacheRegistryTest {
    @TempDir
    Path tmp;

    /**
     * The plugin with a custom section of its own appended: a module digest no other test in this JVM
     * compiled, so the in-process cache of compiled modules cannot answer for the disk.
     */
    private Path uniquePlugin() throws Exception {
        byte[] name = "qmt4j-compile-cache-registry-test".getBytes(StandardCharsets.UTF_8);
        byte[] payload = Long.toString(System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(TestPlugins.bytes(TestPlugins.QMT_OPENAI));
        out.write(0); // custom section
        out.write(1 + name.length + payload.length); // < 128: one LEB128 byte
        out.write(name.length);
        out.write(name);
        out.write(payload);
        Path p = tmp.resolve("plugins").resolve("openai.wasm");
        Files.createDirectories(p.getParent());
        Files.write(p, out.toByteArray());
        return p;
    }

    private List<Path> compiled(Path cache) throws Exception {
        Path dir = cache.resolve("wasm-compiled");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".classes")).toList();
        }
    }

    @Test
    void aLoadedWasmProviderLeavesItsCompiledClassesInThePluginCache() throws Exception {
        uniquePlugin();
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, "[[providers]]\nname = \"local\"\npath = \"plugins/openai.wasm\"\n");
        Path cache = tmp.resolve("cache");
        try (PluginRegistry r = PluginRegistry.builder().config(cfg).env(Map.of()).home(tmp).cacheDir(cache).build()) {
            assertInstanceOf(LoadResult.Loaded.class, r.load("local"));
        }
        assertEquals(1, compiled(cache).size(), "one entry under " + cache.resolve("wasm-compiled"));
    }
}
