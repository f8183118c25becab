package dev.qmt4j.provider.model;

import java.util.Objects;

/** Synthesised audio: {@code {"audio_base64","mime_type"?}}. @param audioBase64 standard base64 @param mimeType or null */
public record SpeechResponse(String audioBase64, String mimeType) {
    /** Checks the audio. */
    public SpeechResponse {
        Objects.requireNonNull(audioBase64, "audioBase64");
    }

    /**
     * The decoded audio.
     *
     * @throws IllegalArgumentException when {@code audioBase64} is not valid base64
     */
    public Bytes audio() {
        return Bytes.fromBase64(audioBase64);
    }
}
