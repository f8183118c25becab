package dev.qmt4j.provider.model;

import java.util.Objects;

/**
 * Text to speech ({@code ExtismTtsRequest} without {@code cfg}): {@code {"text","model"?,
 * "voice_config"?,"format"?,"speed"?,"language"?}}, optional fields omitted when null.
 *
 * @param text what to say
 * @param model or null
 * @param voiceConfig or null
 * @param format audio format, or null
 * @param speed (f32), or null
 * @param language or null
 */
public record SpeechRequest(String text, String model, VoiceConfig voiceConfig, String format, Float speed, String language) {
    /** Checks the text. */
    public SpeechRequest {
        Objects.requireNonNull(text, "text");
    }

    /** A request with only text. */
    public static SpeechRequest of(String text) {
        return new SpeechRequest(text, null, null, null, null, null);
    }
}
