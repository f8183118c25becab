package dev.qmt4j.host;

import dev.qmt4j.provider.ProviderPlugin;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a {@link ProviderHandle}: the provider's {@code [providers.config]} defaults, then the API
 * key from the environment variable the plugin names ({@code api_key_name}) when the config has
 * none, then the values set here; the result is validated against the plugin's
 * {@code config_schema} and by the plugin's own {@code from_config}.
 */
public final class ProviderBuilder {
    private final PluginRegistry registry;
    private final String name;
    private final Map<String, Object> parameters = new LinkedHashMap<>();

    ProviderBuilder(PluginRegistry registry, String name) {
        this.registry = registry;
        this.name = name;
    }

    /** Sets {@code model}. */
    public ProviderBuilder model(String model) {
        return parameter("model", model);
    }

    /** Sets {@code api_key}. */
    public ProviderBuilder apiKey(String key) {
        return parameter("api_key", key);
    }

    /** Sets {@code base_url}. */
    public ProviderBuilder baseUrl(String url) {
        return parameter("base_url", url);
    }

    /** Sets {@code system}. */
    public ProviderBuilder system(String prompt) {
        return parameter("system", prompt);
    }

    /** Sets any top-level config key (a string, number, boolean, list, map or {@link JsonNode}). */
    public ProviderBuilder parameter(String key, Object value) {
        parameters.put(key, value);
        return this;
    }

    /**
     * Loads the provider if needed and returns a handle with the merged, validated config.
     *
     * @throws dev.qmt4j.Qmt4jException the load error, or {@link dev.qmt4j.provider.ProviderException}
     *     {@code INVALID_CONFIG} naming each offending field
     */
    public ProviderHandle build() {
        ObjectNode cfg = registry.baseConfig(name);
        parameters.forEach((k, v) -> cfg.set(k, Jsons.MAPPER.valueToTree(v)));
        try (ProviderLease lease = registry.lease(name)) {
            ProviderPlugin p = lease.plugin();
            registry.addApiKey(cfg, p);
            ConfigValidator.validate(name, p.configSchema(), cfg);
            JsonNode accepted = p.fromConfig(cfg);
            return new ProviderHandle(name, accepted == null || !accepted.isObject() ? cfg : accepted, () -> registry.lease(name));
        }
    }
}
