package dev.qmt4j.provider.model;

import java.util.Objects;

/** A completion result: {@code {"text"}}. @param text the generated text */
public record CompletionResponse(String text) {
    /** Checks the text. */
    public CompletionResponse {
        Objects.requireNonNull(text, "text");
    }
}
