package dev.qmt4j.provider.model;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A function the model may call ({@code FunctionTool}).
 *
 * @param name function name
 * @param description what it does
 * @param parameters JSON Schema of the arguments
 * @param strict strict schema adherence, or null (then omitted from the JSON)
 */
public record FunctionTool(String name, String description, JsonNode parameters, Boolean strict) {
    /** Checks the required fields. */
    public FunctionTool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parameters, "parameters");
    }
}
