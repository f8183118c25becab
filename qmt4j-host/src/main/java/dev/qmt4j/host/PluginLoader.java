package dev.qmt4j.host;

import dev.qmt4j.oci.PluginType;
import dev.qmt4j.provider.ProviderPlugin;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/** Turns a plugin file into a running {@link ProviderPlugin}. Implementations are thread-safe. */
@FunctionalInterface
public interface PluginLoader {

    /**
     * @param name   the provider name from the config
     * @param file   the plugin file (verified already for OCI and URL sources)
     * @param type   Wasm or native
     * @param config the provider's static config ({@code [providers.config]}, plus the API key from the environment)
     */
    ProviderPlugin load(String name, Path file, PluginType type, JsonNode config);
}
