package dev.qmt4j.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.qmt4j.host.ProviderHandle;

/**
 * A qmt4j provider (any QueryMT plugin, Wasm or native) as a LangChain4j {@link ChatModel}. Each
 * call runs on the plugin version in service when it starts, so {@code PluginRegistry.update()}
 * can swap versions under a running application. Mapping of messages, parameters, tools, usage,
 * finish reasons and errors: docs/langchain4j.md. Thread-safe.
 *
 * <pre>{@code
 * ChatModel model = QmtChatModel.builder().registry(registry).provider("openai").modelName("gpt-4o-mini").build();
 * String answer = model.chat("Why is the sky blue?");
 * }</pre>
 */
public final class QmtChatModel extends QmtChatModelBase implements ChatModel {
    private QmtChatModel(Builder builder) {
        super(builder);
    }

    /** A model over {@code handle}, with the handle's config as it is (its {@code model} included). */
    public static QmtChatModel of(ProviderHandle handle) {
        return builder().handle(handle).build();
    }

    /** A builder: a registry and a provider name (or a handle), then the model and parameters. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        ChatMapping.Call call = QmtErrors.mapped(() -> ChatMapping.prepare(handle(), request));
        return QmtErrors.mapped(() -> ChatMapping.response(call.chat(handle()), call.modelName()));
    }

    /** Builds a {@link QmtChatModel}. */
    public static final class Builder extends QmtChatModelBuilder<Builder> {
        private Builder() {
        }

        /**
         * Loads the provider if needed and builds the model.
         *
         * @throws dev.qmt4j.Qmt4jException if the provider cannot be loaded or refuses the config
         */
        public QmtChatModel build() {
            return new QmtChatModel(this);
        }
    }
}
