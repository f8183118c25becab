package dev.qmt4j.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The inputs and outputs of QueryMT's plugin functions that every runtime builds and reads alike
 * (the Wasm provider and the native plugin loader), kept in one place so the two cannot drift. For
 * implementations of {@link ProviderPlugin}; applications use the provider's methods instead.
 */
public final class PluginCalls {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private PluginCalls() {}

    /**
     * Checks that {@code cfg} is a provider config (a JSON object).
     *
     * @throws ProviderException {@link ProviderErrorKind#INVALID_CONFIG} otherwise
     */
    public static void requireObject(JsonNode cfg) {
        if (cfg == null || !cfg.isObject()) throw new ProviderException(ProviderErrorKind.INVALID_CONFIG, "provider config must be a JSON object");
    }

    /**
     * The input of {@code chat}, {@code chat_stream} and {@code chat_request}:
     * {@code {"cfg": cfg, "messages": messages or [], "tools": tools or null}}.
     */
    public static ObjectNode chatInput(JsonNode cfg, JsonNode messages, JsonNode tools) {
        ObjectNode in = F.objectNode();
        in.set("cfg", orNull(cfg));
        in.set("messages", messages == null ? F.arrayNode() : messages);
        in.set("tools", tools == null ? F.nullNode() : tools);
        return in;
    }

    /** The input of {@code embed} and {@code embed_request}: {@code {"cfg": cfg, "inputs": [...]}}. */
    public static ObjectNode embedInput(JsonNode cfg, List<String> inputs) {
        ObjectNode in = F.objectNode();
        in.set("cfg", orNull(cfg));
        inputs.forEach(in.putArray("inputs")::add);
        return in;
    }

    /** The input of {@code complete} and {@code complete_request}: {@code {"cfg": cfg, "req": req}}. */
    public static ObjectNode completeInput(JsonNode cfg, JsonNode req) {
        ObjectNode in = F.objectNode();
        in.set("cfg", orNull(cfg));
        in.set("req", orNull(req));
        return in;
    }

    /**
     * The input of {@code transcribe} and {@code speech}: the request's fields next to {@code cfg}
     * ({@code {"cfg": cfg, ...req}}; a {@code cfg} field of the request is ignored).
     */
    public static ObjectNode withCfg(JsonNode cfg, JsonNode req) {
        ObjectNode in = F.objectNode();
        in.set("cfg", orNull(cfg));
        if (req != null && req.isObject()) {
            for (Map.Entry<String, JsonNode> e : req.properties()) {
                if (!e.getKey().equals("cfg")) in.set(e.getKey(), e.getValue());
            }
        }
        return in;
    }

    /**
     * The model ids in a {@code list_models} result: an array of strings, or of objects with a
     * string {@code id}.
     *
     * @param out       what the plugin returned, or null
     * @param malformed the error thrown for anything else
     */
    public static List<String> modelIds(JsonNode out, Supplier<ProviderException> malformed) {
        if (out == null || !out.isArray()) throw malformed.get();
        List<String> models = new ArrayList<>();
        for (JsonNode n : out) {
            if (n.isString()) models.add(n.stringValue());
            else if (n.isObject() && n.path("id").isString()) models.add(n.get("id").stringValue());
            else throw malformed.get();
        }
        return models;
    }

    /**
     * The vectors in an {@code embed} result (a JSON array of number arrays).
     *
     * @param out       what the plugin's embed call returned, or null
     * @param malformed the error thrown when {@code out} is not an array of arrays
     */
    public static float[][] embeddings(JsonNode out, Supplier<ProviderException> malformed) {
        if (out == null || !out.isArray()) throw malformed.get();
        float[][] r = new float[out.size()][];
        for (int i = 0; i < r.length; i++) {
            JsonNode v = out.get(i);
            if (!v.isArray()) throw malformed.get();
            r[i] = new float[v.size()];
            for (int k = 0; k < r[i].length; k++) r[i][k] = (float) v.get(k).asDouble();
        }
        return r;
    }

    private static JsonNode orNull(JsonNode n) {
        return n == null ? F.nullNode() : n;
    }
}
