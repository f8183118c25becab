package dev.qmt4j.host;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.PluginType;
import dev.qmt4j.provider.ProviderPlugin;
import dev.qmt4j.provider.wasm.WasmProvider;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * The standard loader: Wasm files on qmt4j's Extism host ({@link WasmProvider}); native libraries
 * through {@code qmt4j-native}'s loader given to the constructor.
 */
public final class DefaultPluginLoader implements PluginLoader {
    private final PluginLoader nativeLoader;

    /** Wasm only: a native plugin fails with a clear error. */
    public DefaultPluginLoader() {
        this((name, file, type, config) -> {
            throw new Qmt4jException(ErrorKind.PLATFORM, "provider '" + name + "': native plugins are not available in this build: " + file,
                    "use the plugin's Wasm build (--platform wasi/wasm)");
        });
    }

    /** Wasm on Extism, native through {@code nativeLoader}. */
    public DefaultPluginLoader(PluginLoader nativeLoader) {
        this.nativeLoader = nativeLoader;
    }

    @Override
    public ProviderPlugin load(String name, Path file, PluginType type, JsonNode config) {
        if (type == PluginType.NATIVE) {
            return nativeLoader.load(name, file, type, config);
        }
        return WasmProvider.builder(file).config(config).build();
    }
}
