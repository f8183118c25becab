package dev.qmt4j.host;

import dev.qmt4j.nativeplugin.NativeProvider;
import dev.qmt4j.oci.PluginType;
import dev.qmt4j.provider.ProviderPlugin;
import dev.qmt4j.provider.Sandbox;
import dev.qmt4j.provider.wasm.WasmProvider;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The standard loader: Wasm files on qmt4j's Extism host ({@link WasmProvider}); native libraries
 * through {@link NativeProvider} (a QueryMT Rust-ABI library is refused with an error saying so).
 */
public final class DefaultPluginLoader implements PluginLoader {
    private final PluginLoader nativeLoader;
    private final Path compileCacheDir;

    /** Wasm on Extism, native libraries through {@link NativeProvider} (qmt4j's C ABI, loaded with JNA). */
    public DefaultPluginLoader() {
        this((name, file, type, config) -> NativeProvider.load(file));
    }

    /** Wasm on Extism, native through {@code nativeLoader}. */
    public DefaultPluginLoader(PluginLoader nativeLoader) {
        this(nativeLoader, null);
    }

    /**
     * Wasm on Extism with the bytecode Chicory compiles from each module kept in {@code compileCacheDir}
     * (by module digest, so a later process loads it instead of compiling again: docs/wasm.md); native
     * through {@code nativeLoader}. {@link PluginRegistry} uses {@code <plugin cache>/wasm-compiled}.
     *
     * @param compileCacheDir null compiles in memory only
     */
    public DefaultPluginLoader(PluginLoader nativeLoader, Path compileCacheDir) {
        this.nativeLoader = nativeLoader;
        this.compileCacheDir = compileCacheDir;
    }

    /** The standard loader with compiled modules kept in {@code compileCacheDir} (null: in memory only). */
    public static DefaultPluginLoader withCompileCache(Path compileCacheDir) {
        return new DefaultPluginLoader((name, file, type, config) -> NativeProvider.load(file), compileCacheDir);
    }

    /** {@link #load(String, Path, PluginType, JsonNode, Sandbox, Map)} with the default sandbox and no environment. */
    @Override
    public ProviderPlugin load(String name, Path file, PluginType type, JsonNode config) {
        return load(name, file, type, config, Sandbox.defaults(), Map.of());
    }

    /** A Wasm provider runs in {@code sandbox} and sees {@code env}; a native one has no sandbox (docs/native-abi.md). */
    @Override
    public ProviderPlugin load(String name, Path file, PluginType type, JsonNode config, Sandbox sandbox, Map<String, String> env) {
        if (type == PluginType.NATIVE) {
            return nativeLoader.load(name, file, type, config);
        }
        return WasmProvider.builder(file).config(config).sandbox(sandbox).env(env).compileCacheDir(compileCacheDir).build();
    }
}
