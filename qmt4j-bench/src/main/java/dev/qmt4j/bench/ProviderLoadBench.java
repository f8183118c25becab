package dev.qmt4j.bench;

import dev.qmt4j.host.LoadResult;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.provider.wasm.WasmProvider;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a provider in a running JVM with every cache warm (target: under 5 ms for a small Wasm
 * plugin, docs/benchmarks.md): the plugin is in the plugin cache and its compiled classes in the
 * compile cache, as for an application that opens a registry per request or reloads a provider.
 *
 * <ul>
 *   <li>{@code registryOciLayout}: a {@link PluginRegistry} over examples/providers.toml (the hello
 *       plugin from an OCI image layout, its signature checked with the example key), one provider
 *       loaded, the registry closed: config, cache hit, signature check, Wasm instantiation;</li>
 *   <li>{@code registryLocalFile}: the same for the qmt-openai test plugin as a local file (hashed on each load);</li>
 *   <li>{@code wasmProvider}: {@link WasmProvider} alone on the hello plugin's file.</li>
 * </ul>
 * Run from the repository root (examples/ is read from the working directory, or {@code -Dqmt4j.root}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ProviderLoadBench {
    private Path tmp;
    private Path examples;
    private Path cache;
    private Path localConfig;
    private Path helloWasm;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        tmp = Files.createTempDirectory("qmt4j-bench-load");
        examples = Path.of(System.getProperty("qmt4j.root", ".")).toAbsolutePath().resolve("examples");
        helloWasm = examples.resolve("plugins/hello/plugin.wasm");
        cache = tmp.resolve("cache");
        Path plugin = tmp.resolve("openai.wasm");
        Files.copy(TestPlugins.path(TestPlugins.QMT_OPENAI), plugin);
        localConfig = tmp.resolve("local.toml");
        Files.writeString(localConfig, "[[providers]]\nname = \"local\"\npath = \"openai.wasm\"\n");
        // Warm the plugin cache and the compile cache once.
        registryOciLayout();
        registryLocalFile();
    }

    private LoadResult load(Path config, String name) {
        try (PluginRegistry r = PluginRegistry.builder().config(config).env(Map.of()).home(tmp).cacheDir(cache).build()) {
            LoadResult l = r.load(name);
            if (!(l instanceof LoadResult.Loaded)) {
                throw new IllegalStateException("did not load: " + l);
            }
            return l;
        }
    }

    @Benchmark
    public LoadResult registryOciLayout() {
        return load(examples.resolve("providers.toml"), "hello");
    }

    @Benchmark
    public LoadResult registryLocalFile() {
        return load(localConfig, "local");
    }

    @Benchmark
    public String wasmProvider() {
        try (WasmProvider p = WasmProvider.builder(helloWasm).compileCacheDir(cache.resolve("wasm-compiled")).build()) {
            return p.name();
        }
    }
}
