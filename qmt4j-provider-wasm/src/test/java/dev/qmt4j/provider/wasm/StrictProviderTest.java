package dev.qmt4j.provider.wasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.model.ChatMessage;
import dev.qmt4j.provider.model.QmtJson;
import dev.qmt4j.provider.model.StreamChunk;
import dev.qmt4j.testplugins.TestPlugins;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * qmt-strict, a provider that reads its input as serde with {@code deny_unknown_fields} would: the
 * typed model's JSON is accepted, hand-made lower-case roles are not, and {@code supports_streaming}
 * decides whether the host may stream.
 */
class StrictProviderTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static WasmProvider strict;

    @BeforeAll
    static void load() {
        strict = WasmProvider.builder(TestPlugins.path(TestPlugins.QMT_STRICT)).name("strict").build();
    }

    @AfterAll
    static void close() {
        strict.close();
    }

    private static ObjectNode cfg() {
        return MAPPER.createObjectNode().put("model", "strict-small");
    }

    @Test
    void typedMessagesAreQueryMtsWireFormat() {
        assertEquals("strict: Hello there", strict.chat(cfg(), List.of(ChatMessage.user("Hello there")), null).text());
        List<StreamChunk> chunks = new ArrayList<>();
        strict.chatStream(cfg(), List.of(ChatMessage.assistant("earlier"), ChatMessage.user("again")), null, chunks::add);
        assertEquals(List.of(new StreamChunk.Text("strict: "), new StreamChunk.Text("again")), chunks.subList(0, 2));
    }

    @Test
    void lowerCaseRolesAreRefusedAsSerdeWould() {
        JsonNode handMade = MAPPER.createArrayNode().add(MAPPER.createObjectNode().put("role", "user").put("content", "hi"));
        ProviderException e = assertThrows(ProviderException.class, () -> strict.chat(cfg(), handMade, null));
        assertTrue(e.getMessage().contains("unknown variant `user`, expected `User` or `Assistant`"), e.getMessage());
        assertEquals("strict: hi", strict.chat(cfg(), QmtJson.messages(List.of(ChatMessage.user("hi"))), null).path("text").stringValue());
    }

    @Test
    void supportsStreamingFalseMeansNoStream() {
        assertTrue(strict.supportsStreaming(cfg()));
        ObjectNode off = cfg().put("streaming", false);
        assertFalse(strict.supportsStreaming(off));
        List<StreamChunk> chunks = new ArrayList<>();
        ProviderException e = assertThrows(ProviderException.class,
                () -> strict.chatStream(off, List.of(ChatMessage.user("hi")), null, chunks::add));
        assertEquals(ProviderErrorKind.UNSUPPORTED, e.providerKind(), e.getMessage());
        assertTrue(e.getMessage().contains("supports_streaming returned false"), e.getMessage());
        assertTrue(chunks.isEmpty(), "chat_stream was not called");
        assertEquals("strict: hi", strict.chat(off, List.of(ChatMessage.user("hi")), null).text());
    }
}
