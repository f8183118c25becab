package dev.qmt4j.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.ProviderBuilder;
import dev.qmt4j.host.ProviderHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What the builders of {@link QmtChatModel} and {@link QmtStreamingChatModel} share: where the
 * provider comes from (a {@link PluginRegistry} and a provider name, or a ready
 * {@link ProviderHandle}), config keys for the handle, and the default request parameters.
 *
 * @param <B> the concrete builder
 */
public abstract class QmtChatModelBuilder<B extends QmtChatModelBuilder<B>> {
    private PluginRegistry registry;
    private String provider;
    private ProviderHandle handle;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private ChatRequestParameters defaults;
    private String modelName;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private Integer maxOutputTokens;
    private List<String> stopSequences;
    private final List<ChatModelListener> listeners = new ArrayList<>();

    QmtChatModelBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
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

    /** Sampling temperature ({@code temperature}). */
    public B temperature(Double temperature) {
        this.temperature = temperature;
        return self();
    }

    /** Nucleus sampling ({@code top_p}). */
    public B topP(Double topP) {
        this.topP = topP;
        return self();
    }

    /** Top-k sampling ({@code top_k}). */
    public B topK(Integer topK) {
        this.topK = topK;
        return self();
    }

    /** The most tokens to generate ({@code max_tokens}). */
    public B maxOutputTokens(Integer maxOutputTokens) {
        this.maxOutputTokens = maxOutputTokens;
        return self();
    }

    /** Stop sequences ({@code stop}, only for plugins whose config_schema declares it). */
    public B stopSequences(List<String> stopSequences) {
        this.stopSequences = stopSequences == null ? null : List.copyOf(stopSequences);
        return self();
    }

    /** Default request parameters; the single setters above take precedence over them. */
    public B defaultRequestParameters(ChatRequestParameters parameters) {
        this.defaults = parameters;
        return self();
    }

    /** Listeners told of each request, response and error. */
    public B listeners(List<ChatModelListener> listeners) {
        this.listeners.addAll(listeners);
        return self();
    }

    /**
     * The handle: the one given, or one built by the registry with {@link #config} values and the
     * model name (so the plugin's {@code from_config} sees the model, as QueryMT's builder does).
     *
     * @throws dev.qmt4j.Qmt4jException if the provider cannot be loaded or its config is refused
     */
    ProviderHandle buildHandle() {
        if (handle != null) return handle;
        if (registry == null || provider == null) {
            throw new IllegalStateException("set registry(...) and provider(...), or handle(...)");
        }
        ProviderBuilder b = registry.builder(provider);
        String model = modelName != null ? modelName : defaults != null ? defaults.modelName() : null;
        if (model != null) b.model(model);
        config.forEach(b::parameter);
        return b.build();
    }

    /** The default parameters: {@link #defaultRequestParameters}, then the single setters. */
    ChatRequestParameters buildParameters(ProviderHandle h) {
        DefaultChatRequestParameters.Builder<?> b = DefaultChatRequestParameters.builder();
        JsonNode model = h.config().get("model");
        if (model != null && model.isString()) b.modelName(model.stringValue());
        if (defaults != null) b.overrideWith(defaults);
        if (modelName != null) b.modelName(modelName);
        if (temperature != null) b.temperature(temperature);
        if (topP != null) b.topP(topP);
        if (topK != null) b.topK(topK);
        if (maxOutputTokens != null) b.maxOutputTokens(maxOutputTokens);
        if (stopSequences != null) b.stopSequences(stopSequences);
        return b.build();
    }

    List<ChatModelListener> buildListeners() {
        return List.copyOf(listeners);
    }
}
