package dev.qmt4j.provider.model;

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

    /** A request for {@code audio} of type {@code mimeType} (or null). */
    public static TranscribeRequest of(Bytes audio, String mimeType) {
        return new TranscribeRequest(audio.base64(), null, mimeType, null, null);
    }

    /** A request for raw audio bytes of type {@code mimeType} (or null). */
    public static TranscribeRequest of(byte[] audio, String mimeType) {
        return of(Bytes.of(audio), mimeType);
    }
}
