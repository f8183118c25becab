package dev.qmt4j.provider.model;

import java.util.Objects;

/**
 * The function part of a {@link ToolCall}.
 *
 * @param name function name
 * @param arguments the arguments as a JSON <em>string</em> (as QueryMT carries them)
 */
public record FunctionCall(String name, String arguments) {
    /** Checks the required fields. */
    public FunctionCall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
