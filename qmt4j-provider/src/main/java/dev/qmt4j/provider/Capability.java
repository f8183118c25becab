package dev.qmt4j.provider;

/** What a provider plugin can do. Calling a method for a missing capability throws {@link ProviderErrorKind#UNSUPPORTED}. */
public enum Capability {
    /** {@link ProviderPlugin#chat}. */
    CHAT,
    /** {@link ProviderPlugin#chatStream}. */
    CHAT_STREAM,
    /** {@link ProviderPlugin#listModels}. */
    LIST_MODELS,
    /** {@link ProviderPlugin#embed}. */
    EMBED,
    /** {@link ProviderPlugin#complete}. */
    COMPLETE,
    /** {@link ProviderPlugin#transcribe} (speech to text). */
    TRANSCRIBE,
    /** {@link ProviderPlugin#speech} (text to speech). */
    SPEECH
}
