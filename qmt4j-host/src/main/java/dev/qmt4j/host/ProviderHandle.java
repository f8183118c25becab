package dev.qmt4j.host;

import dev.qmt4j.provider.ProviderPlugin;
import dev.qmt4j.provider.model.ChatMessage;
import dev.qmt4j.provider.model.ChatResponse;
import dev.qmt4j.provider.model.CompletionRequest;
import dev.qmt4j.provider.model.CompletionResponse;
import dev.qmt4j.provider.model.EmbeddingRequest;
import dev.qmt4j.provider.model.EmbeddingResponse;
import dev.qmt4j.provider.model.SpeechRequest;
import dev.qmt4j.provider.model.SpeechResponse;
import dev.qmt4j.provider.model.StreamChunk;
import dev.qmt4j.provider.model.Tool;
import dev.qmt4j.provider.model.TranscribeRequest;
import dev.qmt4j.provider.model.TranscribeResponse;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A provider bound to one config, as returned by {@link PluginRegistry#builder(String)} and
 * {@link PluginRegistry#require(String)}. Each call runs on the version in service when it starts
 * and keeps that version open until it returns, so {@link PluginRegistry#update()} can swap
 * versions at any time. JSON shapes are QueryMT's (see {@link ProviderPlugin}); each JSON call
 * also has a typed overload over the records of {@link dev.qmt4j.provider.model}. Every call runs
 * under the network policy of the config the user and application wrote
 * ({@link ProviderPlugin#withNetworkConfig}), not of the config the plugin returned. Thread-safe.
 */
public final class ProviderHandle {
    private final String name;
    private final JsonNode config;
    private final JsonNode policyConfig;
    private final java.util.function.Supplier<ProviderLease> leases;

    /**
     * @param config       what each call sends the plugin (from_config's answer)
     * @param policyConfig the config the user and application wrote, whose base_url decides the policy
     */
    ProviderHandle(String name, JsonNode config, JsonNode policyConfig, java.util.function.Supplier<ProviderLease> leases) {
        this.name = name;
        this.config = config;
        this.policyConfig = policyConfig;
        this.leases = leases;
    }

    /** The provider name from the config. */
    public String name() {
        return name;
    }

    /** The config every call sends (a copy). */
    public JsonNode config() {
        return config.deepCopy();
    }

    /** The digest of the version new calls run on now. */
    public String digest() {
        try (ProviderLease l = lease()) {
            return l.digest();
        }
    }

    /** Holds the version in service until the lease is closed (for several calls on one version). */
    public ProviderLease lease() {
        return leases.get();
    }

    /**
     * Runs {@code call} with the plugin in service, holding it for the duration; the plugin is bound
     * to this handle's network policy ({@link ProviderPlugin#withNetworkConfig}).
     */
    public <T> T with(Function<ProviderPlugin, T> call) {
        try (ProviderLease l = lease()) {
            return call.apply(l.plugin().withNetworkConfig(policyConfig));
        }
    }

    /**
     * Whether a chat with this config may be streamed ({@link ProviderPlugin#supportsStreaming}): when
     * false, {@link #chatStream} fails with {@code UNSUPPORTED}; use {@link #chat} instead.
     */
    public boolean supportsStreaming() {
        return with(p -> p.supportsStreaming(config));
    }

    /** One chat turn: {@code messages} is an array of {@code ChatMessage}, {@code tools} an array of {@code Tool} or null. */
    public JsonNode chat(JsonNode messages, JsonNode tools) {
        return with(p -> p.chat(config, messages, tools));
    }

    /** A streamed chat turn; {@code consumer} gets each {@code StreamChunk} on the calling thread. */
    public void chatStream(JsonNode messages, JsonNode tools, Consumer<JsonNode> consumer) {
        with(p -> {
            p.chatStream(config, messages, tools, consumer);
            return null;
        });
    }

    /** Model ids. */
    public List<String> listModels() {
        return with(p -> p.listModels(config));
    }

    /** One embedding per input. */
    public float[][] embed(List<String> inputs) {
        return with(p -> p.embed(config, inputs));
    }

    /** A completion: {@code request} is a {@code CompletionRequest}. */
    public JsonNode complete(JsonNode request) {
        return with(p -> p.complete(config, request));
    }

    /** Speech to text. */
    public JsonNode transcribe(JsonNode request) {
        return with(p -> p.transcribe(config, request));
    }

    /** Text to speech. */
    public JsonNode speech(JsonNode request) {
        return with(p -> p.speech(config, request));
    }

    // ---- typed overloads (records of dev.qmt4j.provider.model) -------------------------------

    /** One chat turn with typed messages; {@code tools} may be null. */
    public ChatResponse chat(List<ChatMessage> messages, List<Tool> tools) {
        return with(p -> p.chat(config, messages, tools));
    }

    /** A streamed chat turn; {@code consumer} gets each typed {@link StreamChunk} on the calling thread, in order. */
    public void chatStream(List<ChatMessage> messages, List<Tool> tools, Consumer<StreamChunk> consumer) {
        with(p -> {
            p.chatStream(config, messages, tools, consumer);
            return null;
        });
    }

    /** One embedding per input of {@code request}. */
    public EmbeddingResponse embed(EmbeddingRequest request) {
        return with(p -> p.embed(config, request));
    }

    /** A typed completion. */
    public CompletionResponse complete(CompletionRequest request) {
        return with(p -> p.complete(config, request));
    }

    /** Typed speech to text. */
    public TranscribeResponse transcribe(TranscribeRequest request) {
        return with(p -> p.transcribe(config, request));
    }

    /** Typed text to speech. */
    public SpeechResponse speech(SpeechRequest request) {
        return with(p -> p.speech(config, request));
    }
}
