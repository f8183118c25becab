package dev.qmt4j.provider;

import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * An LLM provider plugin, whatever runs it (Wasm now, native later). JSON values follow QueryMT's
 * wire shapes ({@code ChatMessage}, {@code Tool}, {@code StreamChunk}, {@code CompletionRequest}...);
 * typed records come later.
 *
 * <p>Every call takes the provider config {@code cfg} (a JSON object, e.g. {@code {"api_key": ..,
 * "model": .., "base_url": ..}}); its {@code base_url} and {@code allowed_hosts} also decide which
 * hosts the call may reach (see {@link NetworkPolicy}). Failures are {@link ProviderException}s;
 * an operation outside {@link #capabilities()} fails with {@link ProviderErrorKind#UNSUPPORTED}.
 * Implementations are thread-safe.
 */
public interface ProviderPlugin extends AutoCloseable {
    /** The plugin's own name (export {@code name}). */
    String name();

    /** The name of the environment variable that conventionally holds the API key, or null for none. */
    String apiKeyName();

    /** The plugin's default base URL, or null if it has none. */
    String baseUrl();

    /** The JSON schema of the provider config; an empty object schema when the plugin has none. */
    JsonNode configSchema();

    /** What this plugin can do. */
    Set<Capability> capabilities();

    /**
     * Validates {@code cfg} with the plugin and returns the config it accepted.
     *
     * @throws ProviderException kind {@link ProviderErrorKind#INVALID_CONFIG} when the plugin rejects it
     */
    JsonNode fromConfig(JsonNode cfg);

    /** Model ids the provider offers. */
    java.util.List<String> listModels(JsonNode cfg);

    /**
     * One chat turn.
     *
     * @param messages array of {@code ChatMessage}
     * @param tools array of {@code Tool}, or null
     * @return {@code {"text","tool_calls","thinking","usage","finish_reason"}} (fields optional)
     */
    JsonNode chat(JsonNode cfg, JsonNode messages, JsonNode tools);

    /**
     * A streamed chat turn: {@code consumer} receives each {@code StreamChunk} (e.g. {@code {"text":"..."}},
     * {@code {"tool_use_complete":{...}}}, {@code {"usage":{...}}}, {@code {"done":{...}}}) on the
     * calling thread, in order; the method returns when the stream ends.
     */
    void chatStream(JsonNode cfg, JsonNode messages, JsonNode tools, Consumer<JsonNode> consumer);

    /** One embedding vector per input. */
    float[][] embed(JsonNode cfg, java.util.List<String> inputs);

    /** A text completion: {@code req} is a {@code CompletionRequest}, the result a {@code CompletionResponse}. */
    JsonNode complete(JsonNode cfg, JsonNode req);

    /**
     * Speech to text: {@code req} is {@code {"audio_base64", "filename"?, "mime_type"?, "model"?, "language"?}};
     * returns {@code {"text"}}.
     */
    JsonNode transcribe(JsonNode cfg, JsonNode req);

    /**
     * Text to speech: {@code req} is {@code {"text", "model"?, "voice_config"?, "format"?, "speed"?, "language"?}};
     * returns {@code {"audio_base64", "mime_type"?}}.
     */
    JsonNode speech(JsonNode cfg, JsonNode req);

    /** Releases the plugin. */
    @Override
    void close();
}
