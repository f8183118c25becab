package dev.qmt4j.provider.model;

import java.util.Objects;

/**
 * A text completion request: {@code {"prompt","suffix","max_tokens","temperature"}}; serde writes
 * every field, absent ones as {@code null}.
 *
 * @param prompt text to complete
 * @param suffix text after the insertion point, or null
 * @param maxTokens token limit (u32), or null
 * @param temperature sampling temperature (f32), or null
 */
public record CompletionRequest(String prompt, String suffix, Long maxTokens, Float temperature) {
    /** Checks the prompt. */
    public CompletionRequest {
        Objects.requireNonNull(prompt, "prompt");
    }

    /** A request with just a prompt. */
    public static CompletionRequest of(String prompt) {
        return new CompletionRequest(prompt, null, null, null);
    }
}
