package dev.qmt4j.provider.wasm.internal;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Shared Jackson mapper and small helpers for building plugin inputs with a streaming generator. */
public final class Json {
    /** The mapper used everywhere in the provider module. */
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    /** Writes a JSON document with {@code body} and returns its UTF-8 bytes. */
    public static byte[] write(Consumer<JsonGenerator> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            body.accept(g);
        }
        return out.toByteArray();
    }

    /** Serialises a tree. */
    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /** Parses bytes; throws {@link IllegalArgumentException} with Jackson's message when malformed. */
    public static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code node} (or JSON null) as the value of property {@code name}. */
    public static void tree(JsonGenerator g, String name, JsonNode node) {
        g.writeName(name);
        if (node == null) g.writeNull();
        else g.writeTree(node);
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
