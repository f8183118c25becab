package dev.qmt4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.model.QmtJson;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** QmtEmbeddingModel over the qmt-openai test plugin's embed export. */
class QmtEmbeddingModelTest extends WithTestProviders {
    private static float[] expected(String text) {
        List<Double> v = OpenAiTestServer.embedding(text);
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) f[i] = v.get(i).floatValue();
        return f;
    }

    @Test
    void oneVectorPerSegmentInOrder() {
        EmbeddingModel model = QmtEmbeddingModel.builder().registry(providers.registry).provider(TestProviders.OPENAI)
                .modelName("text-embedding-test").build();
        Response<List<Embedding>> r = model.embedAll(List.of(TextSegment.from("alpha"), TextSegment.from("beta"), TextSegment.from("γάμμα")));
        assertEquals(3, r.content().size());
        assertArrayEquals(expected("alpha"), r.content().get(0).vector());
        assertArrayEquals(expected("beta"), r.content().get(1).vector());
        assertArrayEquals(expected("γάμμα"), r.content().get(2).vector());
        JsonNode sent = QmtJson.parse(providers.lastBody());
        assertEquals("text-embedding-test", sent.get("model").stringValue());
        assertEquals("beta", sent.at("/input/1").stringValue());

        EmbeddingModel plain = QmtEmbeddingModel.of(providers.registry.require(TestProviders.OPENAI));
        assertArrayEquals(expected("one"), plain.embed("one").content().vector());
        assertEquals(OpenAiTestServer.EMBEDDING_DIMENSIONS, plain.dimension());
        assertEquals(OpenAiTestServer.MODEL_A, plain.modelName());
    }

    @Test
    void aRefusedKeyIsAnAuthenticationException() {
        EmbeddingModel model = QmtEmbeddingModel.builder().registry(providers.registry).provider(TestProviders.OPENAI)
                .config("api_key", "sk-wrong").build();
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> model.embed("x"));
        assertInstanceOf(ProviderException.class, e.getCause());
    }
}
