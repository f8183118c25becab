package dev.qmt4j.host;

import dev.qmt4j.oci.PluginType;
import dev.qmt4j.provider.ProviderPlugin;
import dev.qmt4j.provider.Sandbox;
import java.nio.file.Path;
import java.util.Map;
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

    /**
     * Loads with the host's sandbox for this provider; the registry calls this one. The default
     * ignores {@code sandbox} and {@code env} and calls {@link #load(String, Path, PluginType, JsonNode)}
     * (a custom loader then decides the sandbox itself).
     *
     * @param sandbox the provider's {@code [providers.sandbox]}, adjusted by the application
     * @param env     the values of the environment variables {@code sandbox} lists (and only those)
     */
    default ProviderPlugin load(String name, Path file, PluginType type, JsonNode config, Sandbox sandbox, Map<String, String> env) {
        return load(name, file, type, config);
    }
}
