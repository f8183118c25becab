package dev.qmt4j.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.qmt4j.host.ProviderHandle;
import dev.qmt4j.provider.ProviderPlugin;

/**
 * A qmt4j provider as a LangChain4j {@link StreamingChatModel}. The plugin's stream is read on the
 * calling thread: {@code chat(...)} returns after {@code onCompleteResponse} or {@code onError}.
 * A plugin without a streaming export still works: its whole reply arrives as one partial
 * response (and its tool calls as complete ones), then the complete response. Cancelling through
 * the {@code StreamingHandle} of a partial-response context stops the plugin's stream at its next
 * chunk and ends the call without further callbacks. Mapping: docs/langchain4j.md. Thread-safe.
 */
public final class QmtStreamingChatModel extends QmtChatModelBase implements StreamingChatModel {
    private QmtStreamingChatModel(Builder builder) {
        super(builder);
    }

    /** A streaming model over {@code handle}, with the handle's config as it is. */
    public static QmtStreamingChatModel of(ProviderHandle handle) {
        return builder().handle(handle).build();
    }

    /** A builder: a registry and a provider name (or a handle), then the model and parameters. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        StreamAssembler stream = null;
        try {
            ChatMapping.Call call = ChatMapping.prepare(handle(), request);
            StreamAssembler s = new StreamAssembler(handler, call.modelName());
            stream = s;
            handle().with((ProviderPlugin p) -> {
                if (p.capabilities().contains(dev.qmt4j.provider.Capability.CHAT_STREAM)) {
                    p.chatStream(call.config(), call.messages(), call.tools(), s);
                } else {
                    s.acceptWhole(p.chat(call.config(), call.messages(), call.tools()));
                }
                return null;
            });
            s.finish();
        } catch (RuntimeException e) {
            if (stream != null && stream.isCancelled()) {
                return; // the handler asked to stop: no more callbacks
            }
            handler.onError(QmtErrors.toLangChain4j(e));
        }
    }

    /** Builds a {@link QmtStreamingChatModel}. */
    public static final class Builder extends QmtChatModelBuilder<Builder> {
        private Builder() {
        }

        /**
         * Loads the provider if needed and builds the model.
         *
         * @throws dev.qmt4j.Qmt4jException if the provider cannot be loaded or refuses the config
         */
        public QmtStreamingChatModel build() {
            return new QmtStreamingChatModel(this);
        }
    }
}
