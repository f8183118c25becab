package dev.qmt4j.nativeplugin.internal;

import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The JSON mapper of the native module and its parse/serialise helpers. */
public final class NativeJson {
    /** Shared mapper. */
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private NativeJson() {}

    /** Parses a plugin's output; malformed JSON is a {@link ProviderErrorKind#PLUGIN_ERROR}. */
    public static JsonNode parse(String function, byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR,
                    "native plugin " + function + " returned invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** UTF-8 JSON of {@code node}. */
    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /** A new empty object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
