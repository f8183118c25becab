package dev.qmt4j.host;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.StringNode;

/**
 * The config value {@code system} for the parts given with {@link ProviderBuilder#system}. QueryMT's
 * {@code LLMBuilder.system} appends a part and serialises them as an array of strings; its providers
 * read a string or an array ({@code querymt::params::deserialize_system_vec}), and string-only ones join
 * the parts with a blank line ({@code deserialize_system_string}). Plugins built before that change, and
 * any whose {@code config_schema} types {@code system} as a string only, would refuse an array, so a single
 * part stays a string and several become an array only when the schema allows one (docs/cli.md).
 */
final class SystemPrompt {
    /** How QueryMT's string-only providers join the parts. */
    static final String PART_SEPARATOR = "\n\n";

    private SystemPrompt() {}

    /** {@code parts} (at least one) as the value of config key {@code system} for a plugin with {@code schema}. */
    static JsonNode value(List<String> parts, JsonNode schema) {
        if (parts.size() == 1 || !acceptsArray(schema)) {
            return StringNode.valueOf(String.join(PART_SEPARATOR, parts));
        }
        ArrayNode array = Jsons.MAPPER.createArrayNode();
        parts.forEach(array::add);
        return array;
    }

    /**
     * Whether the schema lets {@code system} be an array: no schema, no declaration of {@code system}, or a
     * declaration whose {@code type} (directly or in an {@code anyOf}/{@code oneOf} branch) names
     * {@code array} or is absent.
     */
    static boolean acceptsArray(JsonNode schema) {
        JsonNode property = schema == null ? null : schema.path("properties").get("system");
        return property == null || !property.isObject() || allowsArray(property);
    }

    private static boolean allowsArray(JsonNode declaration) {
        for (String combinator : List.of("anyOf", "oneOf")) {
            JsonNode branches = declaration.get(combinator);
            if (branches != null && branches.isArray()) {
                for (JsonNode branch : branches) {
                    if (branch.isObject() && allowsArray(branch)) {
                        return true;
                    }
                }
                return false;
            }
        }
        JsonNode type = declaration.get("type");
        if (type == null) {
            return true;
        }
        if (type.isString()) {
            return type.stringValue().equals("array");
        }
        for (JsonNode t : type) {
            if (t.isString() && t.stringValue().equals("array")) {
                return true;
            }
        }
        return false;
    }
}
