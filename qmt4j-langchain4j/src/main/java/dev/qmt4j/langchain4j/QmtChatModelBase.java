package dev.qmt4j.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.qmt4j.host.ProviderHandle;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link QmtChatModel} and {@link QmtStreamingChatModel} share: the handle, the default
 * request parameters and the listeners their builder set, and the answers to LangChain4j's
 * questions about the model. Each subclass implements its own LangChain4j interface; these public
 * methods implement both.
 */
abstract class QmtChatModelBase {
    private final ProviderHandle handle;
    private final ChatRequestParameters defaults;
    private final List<ChatModelListener> listeners;

    /**
     * Loads the provider if needed and takes the builder's parameters and listeners.
     *
     * @throws dev.qmt4j.Qmt4jException if the provider cannot be loaded or refuses the config
     */
    QmtChatModelBase(QmtChatModelBuilder<?> builder) {
        this.handle = Objects.requireNonNull(builder.buildHandle(), "handle");
        this.defaults = builder.buildParameters(handle);
        this.listeners = builder.buildListeners();
    }

    /** The handle this model calls. */
    public ProviderHandle handle() {
        return handle;
    }

    /** The builder's parameters, over the handle's {@code model}. */
    public ChatRequestParameters defaultRequestParameters() {
        return defaults;
    }

    /** The builder's listeners. */
    public List<ChatModelListener> listeners() {
        return listeners;
    }

    /** {@link ModelProvider#OTHER}: LangChain4j has no constant for QueryMT. */
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /**
     * Empty: LangChain4j's only capability is {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA}, and
     * no QueryMT plugin export says it supports a JSON schema response format. What the plugin
     * does export is {@link QmtCapabilities#of(ProviderHandle)}.
     */
    public Set<Capability> supportedCapabilities() {
        return QmtCapabilities.langChain4j(handle);
    }
}
