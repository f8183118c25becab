package dev.qmt4j.provider.model;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A tool offered to the model: {@code {"type":"function","function":{...}}}.
 *
 * @param type tool type, normally {@code "function"}
 * @param function the function definition
 */
public record Tool(String type, FunctionTool function) {
    /** Checks the required fields. */
    public Tool {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(function, "function");
    }

    /** A {@code "function"} tool. */
    public static Tool function(String name, String description, JsonNode parameters) {
        return new Tool("function", new FunctionTool(name, description, parameters, null));
    }
}
