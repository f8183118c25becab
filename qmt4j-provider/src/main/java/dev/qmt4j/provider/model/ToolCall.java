package dev.qmt4j.provider.model;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A call the model asks for: {@code {"id","type":"function","function":{"name","arguments"}}}.
 *
 * @param id call id, echoed back in the tool result
 * @param type call type, normally {@code "function"}
 * @param function name and JSON-string arguments
 */
public record ToolCall(String id, String type, FunctionCall function) {
    /** Checks the required fields. */
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(function, "function");
    }

    /** A {@code "function"} call. */
    public static ToolCall function(String id, String name, String arguments) {
        return new ToolCall(id, "function", new FunctionCall(name, arguments));
    }

    /**
     * The arguments parsed as JSON.
     *
     * @throws IllegalArgumentException if they are not valid JSON
     */
    public JsonNode parsedArguments() {
        return QmtJson.parse(function.arguments());
    }
}
