package dev.qmt4j.provider.model;

import java.util.List;

/** The inputs of an embedding call: {@code {"inputs":[str]}} (the plugin export adds {@code cfg}). @param inputs texts */
public record EmbeddingRequest(List<String> inputs) {
    /** Copies the list. */
    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
    }
}
