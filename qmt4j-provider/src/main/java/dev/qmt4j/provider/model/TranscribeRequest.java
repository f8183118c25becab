package dev.qmt4j.provider.model;

import java.util.Base64;
import java.util.Objects;

/**
 * Speech to text ({@code ExtismSttRequest} without {@code cfg}): {@code {"audio_base64","filename"?,
 * "mime_type"?,"model"?,"language"?}}, optional fields omitted when null.
 *
 * @param audioBase64 the audio, standard base64
 * @param filename or null
 * @param mimeType or null
 * @param model or null
 * @param language or null
 */
public record TranscribeRequest(String audioBase64, String filename, String mimeType, String model, String language) {
    /** Checks the audio. */
    public TranscribeRequest {
        Objects.requireNonNull(audioBase64, "audioBase64");
    }

    /** A request for raw audio bytes. */
    public static TranscribeRequest of(byte[] audio, String mimeType) {
        return new TranscribeRequest(Base64.getEncoder().encodeToString(audio), null, mimeType, null, null);
    }
}
