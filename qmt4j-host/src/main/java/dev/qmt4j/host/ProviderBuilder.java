package dev.qmt4j.host;

import dev.qmt4j.config.SandboxSettings;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.ProviderPlugin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a {@link ProviderHandle}: the provider's {@code [providers.config]} defaults, then the API
 * key from the environment variable the plugin names ({@code api_key_name}) when the config has
 * none, then the values set here; the result is validated against the plugin's
 * {@code config_schema} and by the plugin's own {@code from_config}. Calls send the plugin what
 * {@code from_config} returned, but their network policy comes from the config built here and the
 * provider's {@link PluginRegistry#sandbox sandbox}, never from the plugin's answer (docs/sandbox.md).
 */
public final class ProviderBuilder {
    private final PluginRegistry registry;
    private final String name;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final List<String> systemParts = new ArrayList<>();

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

    /**
     * Appends a part of the system prompt, as QueryMT's {@code LLMBuilder.system} does (so {@code qmt -s a -s b}
     * gives two parts). One part is sent as the string {@code system}; several as an array of strings when the
     * plugin's {@code config_schema} allows one, else joined with a blank line (QueryMT's string-only
     * providers do the same). The parts replace a {@code system} set in the config or with {@link #parameter}
     * before; a later {@code parameter("system", ...)} replaces them.
     */
    public ProviderBuilder system(String part) {
        if (part == null) {
            throw new IllegalArgumentException("system prompt part is null");
        }
        parameters.remove("system");
        systemParts.add(part);
        return this;
    }

    /**
     * Sets any top-level config key (a string, number, boolean, list, map or {@link JsonNode}).
     *
     * @throws ProviderException {@code INVALID_CONFIG} for a sandbox key ({@code allowed_hosts},
     *     {@code allow_private_networks}, ...): those belong to {@link PluginRegistry.Builder#sandbox}
     */
    public ProviderBuilder parameter(String key, Object value) {
        if (SandboxSettings.RESERVED_IN_CONFIG.contains(key)) {
            throw new ProviderException(ProviderErrorKind.INVALID_CONFIG, "provider '" + name + "': '" + key
                    + "' is a sandbox setting, not plugin config; set it in [providers.sandbox] or with PluginRegistry.Builder.sandbox");
        }
        if (key.equals("system")) {
            systemParts.clear();
        }
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
            if (!systemParts.isEmpty()) {
                cfg.set("system", SystemPrompt.value(systemParts, p.configSchema()));
            }
            registry.addApiKey(name, cfg, p);
            ConfigValidator.validate(name, p.configSchema(), cfg);
            JsonNode accepted = p.fromConfig(cfg);
            p.withNetworkConfig(cfg); // a malformed base_url fails here, not at the first call
            // The plugin's answer is what it gets back on each call; the policy stays the user's (cfg).
            return new ProviderHandle(name, accepted == null || !accepted.isObject() ? cfg : accepted, cfg.deepCopy(),
                    () -> registry.lease(name));
        }
    }
}
