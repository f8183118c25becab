package dev.qmt4j.provider.model;

import java.util.Objects;

/** A transcription: {@code {"text"}}. @param text the recognised text */
public record TranscribeResponse(String text) {
    /** Checks the text. */
    public TranscribeResponse {
        Objects.requireNonNull(text, "text");
    }
}
