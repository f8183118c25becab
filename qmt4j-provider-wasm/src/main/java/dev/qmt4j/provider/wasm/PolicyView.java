package dev.qmt4j.provider.wasm;

import dev.qmt4j.provider.Capability;
import dev.qmt4j.provider.NetworkPolicy;
import dev.qmt4j.provider.ProviderPlugin;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * {@link WasmProvider#withNetworkConfig}: the same provider, every call under one fixed
 * {@link NetworkPolicy} (the user's), whatever config the call sends to the plugin.
 */
final class PolicyView implements ProviderPlugin {
    private final WasmProvider p;
    private final NetworkPolicy policy;

    PolicyView(WasmProvider p, NetworkPolicy policy) {
        this.p = p;
        this.policy = policy;
    }

    @Override public String name() { return p.name(); }
    @Override public String apiKeyName() { return p.apiKeyName(); }
    @Override public String baseUrl() { return p.baseUrl(); }
    @Override public JsonNode configSchema() { return p.configSchema(); }
    @Override public Set<Capability> capabilities() { return p.capabilities(); }
    @Override public JsonNode fromConfig(JsonNode cfg) { return p.fromConfig(cfg); }
    @Override public boolean supportsStreaming(JsonNode cfg) { return p.supportsStreaming(cfg); }
    @Override public byte[] call(String function, byte[] input) { return p.call(function, input); }
    @Override public List<String> listModels(JsonNode cfg) { return p.listModels(policy, cfg); }
    @Override public JsonNode chat(JsonNode cfg, JsonNode messages, JsonNode tools) { return p.chat(policy, cfg, messages, tools); }

    @Override
    public void chatStream(JsonNode cfg, JsonNode messages, JsonNode tools, Consumer<JsonNode> consumer) {
        p.chatStream(policy, cfg, messages, tools, consumer);
    }

    @Override public float[][] embed(JsonNode cfg, List<String> inputs) { return p.embed(policy, cfg, inputs); }
    @Override public JsonNode complete(JsonNode cfg, JsonNode req) { return p.complete(policy, cfg, req); }
    @Override public JsonNode transcribe(JsonNode cfg, JsonNode req) { return p.callWithFields(policy, "transcribe", cfg, req); }
    @Override public JsonNode speech(JsonNode cfg, JsonNode req) { return p.callWithFields(policy, "speech", cfg, req); }

    /** The view owns nothing: the provider is closed by whoever built it. */
    @Override public void close() {}
}
