package dev.qmt4j.provider.model;

import java.util.Objects;

/** The voice of a {@link SpeechRequest} ({@code ExtismVoiceConfig}), internally tagged by {@code "type"}. */
public sealed interface VoiceConfig {
    /** {@code {"type":"preset","name"}}. @param name the provider's voice name */
    record Preset(String name) implements VoiceConfig {
        /** Checks the name. */
        public Preset {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * {@code {"type":"clone","reference_audio_base64","reference_text"}}.
     *
     * @param referenceAudioBase64 sample audio, standard base64
     * @param referenceText what the sample says
     */
    record Clone(String referenceAudioBase64, String referenceText) implements VoiceConfig {
        /** Checks the fields. */
        public Clone {
            Objects.requireNonNull(referenceAudioBase64, "referenceAudioBase64");
            Objects.requireNonNull(referenceText, "referenceText");
        }
    }

    /** {@code {"type":"design","description"}}. @param description the voice described in words */
    record Design(String description) implements VoiceConfig {
        /** Checks the description. */
        public Design {
            Objects.requireNonNull(description, "description");
        }
    }
}
