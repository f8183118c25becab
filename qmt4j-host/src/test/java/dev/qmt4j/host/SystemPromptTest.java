package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** How the parts of {@link ProviderBuilder#system} become config key {@code system}, by the plugin's schema. */
class SystemPromptTest {
    private static JsonNode schema(String systemDeclaration) {
        return Jsons.MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"model\":{\"type\":\"string\"}"
                + (systemDeclaration == null ? "" : ",\"system\":" + systemDeclaration) + "}}");
    }

    @Test
    void onePartIsAStringWhateverTheSchema() {
        assertEquals("\"a\"", SystemPrompt.value(List.of("a"), schema("{\"type\":[\"string\",\"array\"]}")).toString());
        assertEquals("\"a\"", SystemPrompt.value(List.of("a"), null).toString());
    }

    @Test
    void severalPartsAreAnArrayOnlyWhereTheSchemaAllowsOne() {
        List<String> parts = List.of("a", "b");
        assertEquals("[\"a\",\"b\"]", SystemPrompt.value(parts, schema("{\"type\":[\"string\",\"array\"]}")).toString());
        assertEquals("[\"a\",\"b\"]", SystemPrompt.value(parts, schema("{\"type\":\"array\"}")).toString());
        assertEquals("[\"a\",\"b\"]", SystemPrompt.value(parts, schema(null)).toString(), "undeclared: QueryMT's array");
        assertEquals("[\"a\",\"b\"]", SystemPrompt.value(parts, null).toString(), "no schema: QueryMT's array");
        assertEquals("\"a\\n\\nb\"", SystemPrompt.value(parts, schema("{\"type\":\"string\"}")).toString());
        assertEquals("\"a\\n\\nb\"", SystemPrompt.value(parts, schema("{\"type\":[\"string\",\"null\"]}")).toString());
    }

    @Test
    void combinatorsAreLookedInto() {
        assertTrue(SystemPrompt.acceptsArray(schema("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"array\"}]}")));
        assertFalse(SystemPrompt.acceptsArray(schema("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}")));
        assertTrue(SystemPrompt.acceptsArray(schema("{\"description\":\"any\"}")), "no type: anything goes");
    }
}
