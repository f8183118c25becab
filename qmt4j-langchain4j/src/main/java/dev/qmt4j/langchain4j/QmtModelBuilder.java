package dev.qmt4j.langchain4j;

import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.ProviderBuilder;
import dev.qmt4j.host.ProviderHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What the builders of all three models ({@link QmtChatModel}, {@link QmtStreamingChatModel},
 * {@link QmtEmbeddingModel}) share: where the provider comes from (a {@link PluginRegistry} and a
 * provider name, or a ready {@link ProviderHandle}), config keys for the handle, and the model name.
 *
 * @param <B> the concrete builder
 */
abstract class QmtModelBuilder<B extends QmtModelBuilder<B>> {
    private PluginRegistry registry;
    private String provider;
    private ProviderHandle handle;
    private final Map<String, Object> config = new LinkedHashMap<>();
    /** What {@link #modelName(String)} set, or null. */
    String modelName;

    QmtModelBuilder() {
    }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    /** The registry that loads the provider; with {@link #provider(String)}. */
    public B registry(PluginRegistry registry) {
        this.registry = registry;
        return self();
    }

    /** The provider's name in the registry's config. */
    public B provider(String provider) {
        this.provider = provider;
        return self();
    }

    /** A ready handle instead of a registry and a provider name ({@link #config} is then ignored). */
    public B handle(ProviderHandle handle) {
        this.handle = handle;
        return self();
    }

    /**
     * Sets a provider config key for the handle (e.g. {@code api_key}, {@code base_url}, or a
     * plugin-specific one), over the config file's {@code [providers.config]}; checked against
     * the plugin's {@code config_schema} when the model is built.
     */
    public B config(String key, Object value) {
        config.put(Objects.requireNonNull(key, "key"), value);
        return self();
    }

    /** The model ({@code model} in QueryMT's config). */
    public B modelName(String modelName) {
        this.modelName = modelName;
        return self();
    }

    /**
     * The handle: the one given, or one built by the registry with {@link #config} values and
     * {@code model} (so the plugin's {@code from_config} sees the model, as QueryMT's builder does).
     *
     * @param model the model to build the handle with, or null for the config file's
     * @throws dev.qmt4j.Qmt4jException if the provider cannot be loaded or its config is refused
     */
    final ProviderHandle buildHandle(String model) {
        if (handle != null) return handle;
        if (registry == null || provider == null) {
            throw new IllegalStateException("set registry(...) and provider(...), or handle(...)");
        }
        ProviderBuilder b = registry.builder(provider);
        if (model != null) b.model(model);
        config.forEach(b::parameter);
        return b.build();
    }

    /** The {@code model} of a provider config, or null where it has no string there. */
    static String modelOf(JsonNode config) {
        JsonNode model = config.get("model");
        return model != null && model.isString() ? model.stringValue() : null;
    }
}
