package dev.qmt4j.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.qmt4j.host.ProviderHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * What the builders of {@link QmtChatModel} and {@link QmtStreamingChatModel} share: where the
 * provider comes from (a {@link dev.qmt4j.host.PluginRegistry} and a provider name, or a ready
 * {@link ProviderHandle}), config keys for the handle, and the default request parameters.
 *
 * @param <B> the concrete builder
 */
public abstract class QmtChatModelBuilder<B extends QmtChatModelBuilder<B>> extends QmtModelBuilder<B> {
    private ChatRequestParameters defaults;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private Integer maxOutputTokens;
    private List<String> stopSequences;
    private final List<ChatModelListener> listeners = new ArrayList<>();

    QmtChatModelBuilder() {
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

    /** The handle, built with the model of {@link #modelName} or else of {@link #defaultRequestParameters}. */
    ProviderHandle buildHandle() {
        return buildHandle(modelName != null ? modelName : defaults != null ? defaults.modelName() : null);
    }

    /** The default parameters: {@link #defaultRequestParameters}, then the single setters. */
    ChatRequestParameters buildParameters(ProviderHandle h) {
        DefaultChatRequestParameters.Builder<?> b = DefaultChatRequestParameters.builder();
        String model = modelOf(h.config());
        if (model != null) b.modelName(model);
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
