package dev.qmt4j.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.ContentType;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.qmt4j.host.ProviderHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A qmt4j provider's {@code embed} export as a LangChain4j {@link EmbeddingModel}: text inputs,
 * one vector each. The request's model name goes to QueryMT's {@code model} config key and its
 * dimensions to {@code embedding_dimensions}
 * (https://docs.query.mt/latest/core/builder); QueryMT reports no token usage for embeddings, so
 * the response has none. Errors are mapped as for {@link QmtChatModel}. Thread-safe.
 */
public final class QmtEmbeddingModel implements EmbeddingModel {
    private final ProviderHandle handle;
    private final EmbeddingRequestParameters defaults;

    private QmtEmbeddingModel(ProviderHandle handle, EmbeddingRequestParameters defaults) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.defaults = defaults;
    }

    /** An embedding model over {@code handle}, with the handle's config as it is. */
    public static QmtEmbeddingModel of(ProviderHandle handle) {
        return builder().handle(handle).build();
    }

    /** A builder: a registry and a provider name (or a handle), then the model. */
    public static Builder builder() {
        return new Builder();
    }

    /** The handle this model calls. */
    public ProviderHandle handle() {
        return handle;
    }

    @Override
    public EmbeddingResponse doEmbed(EmbeddingRequest request) {
        List<String> texts = new ArrayList<>();
        for (EmbeddingInput in : request.inputs()) {
            if (!in.contentTypes().equals(Set.of(ContentType.TEXT))) {
                throw new UnsupportedFeatureException("QueryMT embeddings take text only, not " + in.contentTypes());
            }
            texts.add(in.text());
        }
        ObjectNode cfg = (ObjectNode) handle.config();
        if (request.modelName() != null) cfg.put("model", request.modelName());
        if (request.dimensions() != null) cfg.put("embedding_dimensions", request.dimensions());
        float[][] vectors = QmtErrors.mapped(() -> handle.with(p -> p.embed(cfg, texts)));
        if (vectors.length != texts.size()) {
            throw new dev.langchain4j.exception.LangChain4jException("provider '" + handle.name() + "' returned "
                    + vectors.length + " embeddings for " + texts.size() + " inputs");
        }
        List<Embedding> embeddings = new ArrayList<>(vectors.length);
        for (float[] v : vectors) embeddings.add(new Embedding(v));
        return EmbeddingResponse.builder().embeddings(embeddings).modelName(QmtModelBuilder.modelOf(cfg)).build();
    }

    @Override
    public EmbeddingRequestParameters defaultRequestParameters() {
        return defaults;
    }

    @Override
    public Set<EmbeddingParameter<?>> supportedParameters() {
        return Set.of(EmbeddingRequestParameters.MODEL_NAME, EmbeddingRequestParameters.DIMENSIONS);
    }

    @Override
    public Set<ContentType> supportedContentTypes() {
        return Set.of(ContentType.TEXT);
    }

    @Override
    public String modelName() {
        return defaults.modelName();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** Builds a {@link QmtEmbeddingModel}. */
    public static final class Builder extends QmtModelBuilder<Builder> {
        private Integer dimensions;

        private Builder() {
        }

        /** The vector length to ask for ({@code embedding_dimensions}), where the provider supports it. */
        public Builder dimensions(Integer dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        /**
         * Loads the provider if needed and builds the model.
         *
         * @throws dev.qmt4j.Qmt4jException if the provider cannot be loaded or refuses the config
         */
        public QmtEmbeddingModel build() {
            ProviderHandle h = buildHandle(modelName);
            String name = modelName != null ? modelName : QmtModelBuilder.modelOf(h.config());
            return new QmtEmbeddingModel(h, EmbeddingRequestParameters.builder().modelName(name).dimensions(dimensions).build());
        }
    }
}
