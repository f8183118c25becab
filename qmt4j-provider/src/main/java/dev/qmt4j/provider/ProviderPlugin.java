package dev.qmt4j.provider;

import dev.qmt4j.provider.model.ChatMessage;
import dev.qmt4j.provider.model.ChatResponse;
import dev.qmt4j.provider.model.CompletionRequest;
import dev.qmt4j.provider.model.CompletionResponse;
import dev.qmt4j.provider.model.EmbeddingRequest;
import dev.qmt4j.provider.model.EmbeddingResponse;
import dev.qmt4j.provider.model.QmtJson;
import dev.qmt4j.provider.model.SpeechRequest;
import dev.qmt4j.provider.model.SpeechResponse;
import dev.qmt4j.provider.model.StreamChunk;
import dev.qmt4j.provider.model.Tool;
import dev.qmt4j.provider.model.TranscribeRequest;
import dev.qmt4j.provider.model.TranscribeResponse;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * An LLM provider plugin, whatever runs it (Wasm or native). JSON values follow QueryMT's
 * wire shapes ({@code ChatMessage}, {@code Tool}, {@code StreamChunk}, {@code CompletionRequest}...).
 * Each JSON operation has a typed overload taking and returning the records of
 * {@link dev.qmt4j.provider.model}, converted with {@link QmtJson}; a plugin result that does not
 * have the QueryMT shape fails there with {@link ProviderErrorKind#RESPONSE_FORMAT}.
 *
 * <p>Every call takes the provider config {@code cfg} (a JSON object, e.g. {@code {"api_key": ..,
 * "model": .., "base_url": ..}}); for a sandboxed runtime its {@code base_url}, with the host's
 * {@link Sandbox}, decides which hosts the call may reach (see {@link NetworkPolicy}), unless the
 * plugin was bound to the user's config with {@link #withNetworkConfig}: do that before sending a
 * config the plugin returned ({@link #fromConfig}), so the plugin cannot choose its own policy. Failures are {@link ProviderException}s;
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
     * Whether a chat with {@code cfg} may be streamed: the plugin has {@link Capability#CHAT_STREAM}
     * and, when it answers the question per config (QueryMT's {@code supports_streaming} export), says
     * yes for this one. QueryMT refuses {@code chat_stream} when the answer is no; callers then use
     * {@link #chat(JsonNode, JsonNode, JsonNode)}. This default only looks at the capability.
     */
    default boolean supportsStreaming(JsonNode cfg) {
        return capabilities().contains(Capability.CHAT_STREAM);
    }

    /**
     * Validates {@code cfg} with the plugin and returns the config it accepted.
     *
     * @throws ProviderException kind {@link ProviderErrorKind#INVALID_CONFIG} when the plugin rejects it
     */
    JsonNode fromConfig(JsonNode cfg);

    /**
     * Calls plugin function {@code function} with {@code input} as it is and returns its output bytes,
     * as {@code extism call} does: no JSON is made or read, so an export that wants JSON answers bad
     * input with its own error. Any export may be called, not only the operations above. The call has
     * no network (a sandboxed runtime refuses every request); a QueryMT structured error
     * ({@code {"payload":{...}}}) becomes the {@link ProviderException} it describes.
     *
     * @return the output, empty when the function wrote none
     * @throws ProviderException {@link ProviderErrorKind#UNSUPPORTED} if the plugin has no such
     *         function; the mapped error if it fails
     */
    byte[] call(String function, byte[] input);

    /**
     * This plugin with its network policy taken from {@code userConfig} (the config the user and the
     * application wrote, before {@link #fromConfig}) for every call, whatever {@code cfg} a call
     * passes. Runtimes without a sandbox return {@code this}.
     *
     * @throws ProviderException kind {@link ProviderErrorKind#INVALID_CONFIG} for a malformed {@code base_url}
     */
    default ProviderPlugin withNetworkConfig(JsonNode userConfig) {
        return this;
    }

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
     * A streamed chat turn ({@link ProviderErrorKind#UNSUPPORTED} when {@link #supportsStreaming}
     * says no for {@code cfg}): {@code consumer} receives each {@code StreamChunk} (e.g. {@code {"text":"..."}},
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

    // ---- typed overloads (records of dev.qmt4j.provider.model over the JSON methods) ----------

    /**
     * One chat turn with typed messages and tools.
     *
     * @param tools the tools offered, or null for none
     * @throws ProviderException kind {@link ProviderErrorKind#RESPONSE_FORMAT} if the plugin's answer is not a ChatResponse
     */
    default ChatResponse chat(JsonNode cfg, List<ChatMessage> messages, List<Tool> tools) {
        return decode(chat(cfg, QmtJson.messages(messages), QmtJson.tools(tools)), QmtJson::chatResponse, "chat");
    }

    /**
     * A streamed chat turn with typed chunks: {@code consumer} gets each {@link StreamChunk} on the
     * calling thread, in order.
     *
     * @param tools the tools offered, or null for none
     * @throws ProviderException kind {@link ProviderErrorKind#RESPONSE_FORMAT} if a chunk is not a StreamChunk
     */
    default void chatStream(JsonNode cfg, List<ChatMessage> messages, List<Tool> tools, Consumer<StreamChunk> consumer) {
        chatStream(cfg, QmtJson.messages(messages), QmtJson.tools(tools),
                (JsonNode chunk) -> consumer.accept(decode(chunk, QmtJson::streamChunk, "chat stream chunk")));
    }

    /** One embedding per input of {@code request}. */
    default EmbeddingResponse embed(JsonNode cfg, EmbeddingRequest request) {
        return EmbeddingResponse.of(embed(cfg, request.inputs()));
    }

    /** A typed text completion. */
    default CompletionResponse complete(JsonNode cfg, CompletionRequest request) {
        return decode(complete(cfg, QmtJson.toJson(request)), QmtJson::completionResponse, "complete");
    }

    /** Typed speech to text. */
    default TranscribeResponse transcribe(JsonNode cfg, TranscribeRequest request) {
        return decode(transcribe(cfg, QmtJson.toJson(request)), QmtJson::transcribeResponse, "transcribe");
    }

    /** Typed text to speech. */
    default SpeechResponse speech(JsonNode cfg, SpeechRequest request) {
        return decode(speech(cfg, QmtJson.toJson(request)), QmtJson::speechResponse, "speech");
    }

    private static <T> T decode(JsonNode json, Function<JsonNode, T> reader, String what) {
        try {
            return reader.apply(json);
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ProviderErrorKind.RESPONSE_FORMAT,
                    "plugin " + what + " result does not have QueryMT's shape: " + e.getMessage(), e);
        }
    }

    /** Releases the plugin. */
    @Override
    void close();
}
