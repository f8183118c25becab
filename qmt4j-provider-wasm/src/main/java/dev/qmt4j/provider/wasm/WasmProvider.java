package dev.qmt4j.provider.wasm;

import static dev.qmt4j.provider.PluginCalls.requireObject;

import dev.qmt4j.provider.Capability;
import dev.qmt4j.provider.HttpLimits;
import dev.qmt4j.provider.NetworkPolicy;
import dev.qmt4j.provider.PluginCalls;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderErrors;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.ProviderPlugin;
import dev.qmt4j.provider.Sandbox;
import dev.qmt4j.provider.wasm.internal.AddressCheck;
import dev.qmt4j.provider.wasm.internal.CallState;
import dev.qmt4j.provider.wasm.internal.HttpWire;
import dev.qmt4j.provider.wasm.internal.Json;
import dev.qmt4j.provider.wasm.internal.PluginErrors;
import dev.qmt4j.provider.wasm.internal.QmtHostFunctions;
import dev.qmt4j.provider.wasm.internal.SafeHttp;
import dev.qmt4j.wasm.ExtismPlugin;
import dev.qmt4j.wasm.PluginException;
import dev.qmt4j.wasm.PluginInstance;
import dev.qmt4j.wasm.WasmManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A QueryMT provider plugin compiled to Wasm, run on qmt4j's Extism host.
 *
 * <pre>{@code
 * try (WasmProvider p = WasmProvider.builder(Path.of("openai.wasm")).config(cfg).build()) {
 *     JsonNode reply = p.chat(cfg, messages, null);
 * }
 * }</pre>
 *
 * <p>Loading calls {@code name}, then {@code base_url}, {@code api_key_name} and {@code init_logging}
 * when exported (a failing optional export is ignored). The ABI is detected as QueryMT does: the
 * HTTP-adapter ABI when all of {@code chat_request}, {@code chat_stream_request},
 * {@code parse_chat_response}, {@code list_models_request} and {@code parse_list_models_response}
 * are exported (the host sends the requests the plugin builds), else the legacy ABI (the plugin
 * calls {@code qmt_http_*} itself). Missing optional exports shrink {@link #capabilities()}.
 *
 * <p>Sandbox ({@link Sandbox}, docs/sandbox.md): the plugin's Extism config holds only the top-level
 * entries of the provider config given to {@link Builder#config} (strings as-is, other values as JSON
 * text) and the environment variables the sandbox lists ({@link Builder#env}), nothing else of the
 * process environment. Every request, whether the host sends it for the plugin or the plugin asks for
 * it through {@code qmt_http_*}, and every redirect hop, is checked against the {@link NetworkPolicy}
 * made of the sandbox and the {@code base_url} of the config passed to the call, or of the config
 * given to {@link #withNetworkConfig} (so that a config returned by {@code from_config} can be sent
 * to the plugin without deciding the policy). WASI is on (QueryMT plugins are built for
 * wasm32-wasip1) with no environment, arguments or directories.
 */
public final class WasmProvider implements ProviderPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(WasmProvider.class);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);
    private static final List<String> ADAPTER_EXPORTS = List.of("chat_request", "chat_stream_request", "parse_chat_response",
            "list_models_request", "parse_list_models_response");
    private static final List<String> PARSER_EXPORTS = List.of("chat_stream_parser_start", "chat_stream_parser_parse",
            "chat_stream_parser_finish", "chat_stream_parser_close");

    /** Which guest ABI a plugin speaks. */
    public enum Abi {
        /** The plugin builds requests and parses responses; the host does the HTTP. */
        HTTP_ADAPTER,
        /** The plugin does its own HTTP through {@code qmt_http_*}. */
        LEGACY
    }

    private final ExtismPlugin plugin;
    private final SafeHttp http;
    private final JsonNode config;
    private final Sandbox sandbox;
    private final String name;
    private final String baseUrl;
    private final String apiKeyName;
    private final Abi abi;
    private final Set<Capability> capabilities;
    private volatile JsonNode schema;

    private WasmProvider(Builder b, byte[] wasm) {
        this.config = b.config;
        this.sandbox = b.sandbox;
        this.http = new SafeHttp(b.limits.withMaxResponseBytes(sandbox.maxHttpResponseBytes()));
        String label = b.name != null ? b.name : "provider";
        QmtHostFunctions host = new QmtHostFunctions(http, label);

        // The manifest's allowed_hosts govern Extism's built-in http_request; they follow the same policy.
        NetworkPolicy initial = NetworkPolicy.forProvider(config, null, sandbox);
        WasmManifest.Builder m = WasmManifest.builder().module(wasm).config(extismConfig(config, visibleEnv(sandbox, b.env)))
                .wasi(b.wasi).timeout(sandbox.timeout()).maxPages(sandbox.maxMemoryPages())
                .maxHttpResponseBytes(sandbox.maxHttpResponseBytes());
        List<String> manifestHosts = new ArrayList<>(initial.allowedHostGlobs());
        if (initial.configuredHost() != null) manifestHosts.add(initial.configuredHost());
        m.allowedHosts(manifestHosts).connectCheck(AddressCheck.forExtism(initial, AddressCheck.SYSTEM));
        ExtismPlugin.Builder pb = ExtismPlugin.builder(m.build()).name(label).hostFunctions(host.functions());
        if (b.poolSize > 0) pb.poolSize(b.poolSize);
        if (b.compileCacheDir != null) pb.compileCacheDir(b.compileCacheDir);
        try {
            this.plugin = pb.build();
        } catch (PluginException e) {
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "cannot load provider plugin: " + e.getMessage(), e);
        }
        try {
            this.name = stringExport("name", true);
            this.baseUrl = emptyToNull(stringExport("base_url", false));
            this.apiKeyName = emptyToNull(stringExport("api_key_name", false));
            boolean adapter = ADAPTER_EXPORTS.stream().allMatch(plugin::functionExists);
            this.abi = adapter ? Abi.HTTP_ADAPTER : Abi.LEGACY;
            this.capabilities = Collections.unmodifiableSet(detect(adapter));
            if (plugin.functionExists("init_logging")) {
                try {
                    call("init_logging", String.valueOf(logLevel(label)).getBytes(StandardCharsets.UTF_8), CallState.offline());
                } catch (ProviderException e) {
                    LOG.warn("plugin {}: init_logging failed: {}", name, e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            plugin.close();
            throw e;
        }
        if (b.name != null && !b.name.equals(name)) LOG.warn("plugin reports name '{}' but was configured as '{}'", name, b.name);
    }

    /** Starts a provider from a {@code .wasm} file. */
    public static Builder builder(Path wasm) {
        return new Builder(Objects.requireNonNull(wasm, "wasm"), null);
    }

    /** Starts a provider from module bytes. */
    public static Builder builder(byte[] wasm) {
        return new Builder(null, wasm.clone());
    }

    private Set<Capability> detect(boolean adapter) {
        EnumSet<Capability> c = EnumSet.noneOf(Capability.class);
        if (adapter) {
            c.add(Capability.CHAT);
            c.add(Capability.LIST_MODELS);
            if (PARSER_EXPORTS.stream().allMatch(plugin::functionExists)) c.add(Capability.CHAT_STREAM);
            if (plugin.functionExists("embed_request") && plugin.functionExists("parse_embed_response")) c.add(Capability.EMBED);
            if (plugin.functionExists("complete_request") && plugin.functionExists("parse_complete_response")) c.add(Capability.COMPLETE);
        } else {
            if (plugin.functionExists("chat")) c.add(Capability.CHAT);
            if (plugin.functionExists("chat_stream")) c.add(Capability.CHAT_STREAM);
            if (plugin.functionExists("list_models")) c.add(Capability.LIST_MODELS);
            if (plugin.functionExists("embed")) c.add(Capability.EMBED);
            if (plugin.functionExists("complete")) c.add(Capability.COMPLETE);
        }
        if (plugin.functionExists("transcribe")) c.add(Capability.TRANSCRIBE);
        if (plugin.functionExists("speech")) c.add(Capability.SPEECH);
        return c;
    }

    // ------------------------------------------------------------------ metadata

    @Override
    public String name() {
        return name;
    }

    @Override
    public String apiKeyName() {
        return apiKeyName;
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    /** The ABI detected at load. */
    public Abi abi() {
        return abi;
    }

    /** The provider config given to the builder (also the plugin's Extism config), or null. */
    public JsonNode config() {
        return config;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** The host's sandbox for this provider. */
    public Sandbox sandbox() {
        return sandbox;
    }

    /** The network policy of {@code userConfig}'s {@code base_url} and this provider's sandbox. */
    public NetworkPolicy policy(JsonNode userConfig) {
        return NetworkPolicy.forProvider(userConfig, baseUrl, sandbox);
    }

    /**
     * A view of this provider whose calls take their network policy from {@code userConfig} (the
     * config the user and application wrote) and the sandbox, whatever {@code cfg} they are given:
     * what {@code from_config} returned can be sent to the plugin without widening anything. The view
     * shares this provider's instances; closing it does nothing.
     *
     * @throws ProviderException {@link ProviderErrorKind#INVALID_CONFIG} for a malformed {@code base_url}
     */
    @Override
    public ProviderPlugin withNetworkConfig(JsonNode userConfig) {
        return new PolicyView(this, policy(userConfig));
    }

    /**
     * {@inheritDoc}
     *
     * <p>An absent {@code config_schema} export gives {@code {}}; a failing one or one returning
     * something other than JSON gives a {@link ProviderException} ({@link ProviderErrorKind#PLUGIN_ERROR}).
     */
    @Override
    public JsonNode configSchema() {
        JsonNode s = schema;
        if (s != null) return s;
        if (!plugin.functionExists("config_schema")) {
            s = Json.object();
        } else {
            byte[] out = call("config_schema", NULL, CallState.offline());
            try {
                s = Json.parse(out);
                if (s != null && s.isString()) s = Json.parse(s.stringValue().getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin config_schema did not return JSON: " + e.getMessage());
            }
            if (s == null) s = Json.object();
        }
        schema = s;
        return s;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Calls the plugin's {@code supports_streaming} export with {@code cfg} when it has one
     * (QueryMT's HTTP-adapter ABI, docs/wasm.md "Sources": cfg JSON in, JSON bool out); without the export the capability decides.
     *
     * @throws ProviderException {@link ProviderErrorKind#PLUGIN_ERROR} when the export fails or answers something other than a boolean
     */
    @Override
    public boolean supportsStreaming(JsonNode cfg) {
        if (!capabilities.contains(Capability.CHAT_STREAM)) return false;
        if (!plugin.functionExists("supports_streaming")) return true;
        requireObject(cfg);
        JsonNode out = callJson("supports_streaming", Json.bytes(cfg), CallState.offline());
        if (out == null || !out.isBoolean()) {
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin supports_streaming did not return a JSON boolean: " + out);
        }
        return out.booleanValue();
    }

    @Override
    public JsonNode fromConfig(JsonNode cfg) {
        requireObject(cfg);
        policy(cfg); // malformed base_url → INVALID_CONFIG
        if (!plugin.functionExists("from_config")) return cfg;
        try {
            return callJson("from_config", Json.bytes(cfg), CallState.offline());
        } catch (ProviderException e) {
            switch (e.providerKind()) {
                case SANDBOX_DENIED, LIMIT_EXCEEDED, AUTHENTICATION -> throw e;
                default -> throw e.withKind(ProviderErrorKind.INVALID_CONFIG);
            }
        }
    }

    // ------------------------------------------------------------------ operations

    @Override
    public List<String> listModels(JsonNode cfg) {
        requireObject(cfg);
        return listModels(policy(cfg), cfg);
    }

    List<String> listModels(NetworkPolicy policy, JsonNode cfg) {
        require(Capability.LIST_MODELS, "list_models");
        requireObject(cfg);
        CallState st = new CallState(policy, null);
        JsonNode out;
        if (abi == Abi.HTTP_ADAPTER) {
            if (plugin.functionExists("list_models_static")) {
                JsonNode stat = callJson("list_models_static", obj(g -> Json.tree(g, "cfg", cfg)), st);
                if (stat != null && stat.isArray()) return strings(stat, "list_models_static");
            }
            HttpWire.Request req = request(callJson("list_models_request", obj(g -> Json.tree(g, "cfg", cfg)), st), "list_models_request");
            HttpWire.Response resp = send(req, st, false);
            out = callJson("parse_list_models_response", obj(g -> resp(g, resp)), st);
        } else {
            out = callJson("list_models", Json.bytes(cfg), st);
        }
        return strings(out, "list_models");
    }

    @Override
    public JsonNode chat(JsonNode cfg, JsonNode messages, JsonNode tools) {
        requireObject(cfg);
        return chat(policy(cfg), cfg, messages, tools);
    }

    JsonNode chat(NetworkPolicy policy, JsonNode cfg, JsonNode messages, JsonNode tools) {
        require(Capability.CHAT, "chat");
        requireObject(cfg);
        CallState st = new CallState(policy, null);
        byte[] input = chatInput(cfg, messages, tools);
        if (abi == Abi.LEGACY) return callJson("chat", input, st);
        HttpWire.Request req = request(callJson("chat_request", input, st), "chat_request");
        HttpWire.Response resp = send(req, st, true);
        if (!ok(resp.status())) throw classifyChatError(cfg, resp, st);
        return callJson("parse_chat_response", obj(g -> { Json.tree(g, "cfg", cfg); resp(g, resp); }), st);
    }

    @Override
    public void chatStream(JsonNode cfg, JsonNode messages, JsonNode tools, Consumer<JsonNode> consumer) {
        requireObject(cfg);
        chatStream(policy(cfg), cfg, messages, tools, consumer);
    }

    void chatStream(NetworkPolicy policy, JsonNode cfg, JsonNode messages, JsonNode tools, Consumer<JsonNode> consumer) {
        require(Capability.CHAT_STREAM, "chat_stream");
        requireObject(cfg);
        Objects.requireNonNull(consumer, "consumer");
        if (!supportsStreaming(cfg)) {
            // QueryMT refuses chat_stream when the plugin says this config cannot stream.
            throw new ProviderException(ProviderErrorKind.UNSUPPORTED, "capability not supported: plugin " + name
                    + " does not stream with this config (its supports_streaming returned false); use chat");
        }
        if (abi == Abi.LEGACY) {
            ObjectNode streamCfg = (ObjectNode) cfg.deepCopy();
            streamCfg.put("stream", true);
            CallState st = new CallState(policy, consumer);
            call("chat_stream", chatInput(streamCfg, messages, tools), st);
            if (st.consumerFailure() != null) throw st.consumerFailure();
            return;
        }
        CallState st = new CallState(policy, null);
        HttpWire.Request req = request(callJson("chat_stream_request", chatInput(cfg, messages, tools), st), "chat_stream_request");
        SafeHttp.Opened opened;
        try {
            opened = http.open(req, st.policy(), null);
        } catch (SafeHttp.NetworkFailure e) {
            throw network(e);
        }
        try (SafeHttp.Opened o = opened) {
            if (!ok(o.status())) {
                HttpWire.Response full;
                try {
                    full = o.readFully();
                } catch (SafeHttp.NetworkFailure e) {
                    throw network(e);
                }
                throw classifyChatError(cfg, full, st);
            }
            // The parser's state lives in one instance's memory: drive it on a dedicated instance.
            try (PluginInstance inst = plugin.instance()) {
                long parserId = callJson(inst, "chat_stream_parser_start", Json.bytes(cfg), st).asLong();
                boolean closed = false;
                try {
                    ByteArrayOutputStream pending = new ByteArrayOutputStream();
                    byte[] chunk;
                    while ((chunk = nextChunk(o)) != null) {
                        pending.writeBytes(chunk);
                        pending = feedLines(inst, parserId, pending, consumer, st);
                    }
                    pending.write('\n');
                    feedLines(inst, parserId, pending, consumer, st);
                    emit(callJson(inst, "chat_stream_parser_finish", String.valueOf(parserId).getBytes(StandardCharsets.UTF_8), st), consumer);
                    call(inst, "chat_stream_parser_close", String.valueOf(parserId).getBytes(StandardCharsets.UTF_8), st);
                    closed = true;
                } finally {
                    if (!closed) {
                        try {
                            call(inst, "chat_stream_parser_close", String.valueOf(parserId).getBytes(StandardCharsets.UTF_8), st);
                        } catch (RuntimeException e) {
                            LOG.debug("closing stream parser {} failed: {}", parserId, e.getMessage());
                        }
                    }
                }
            }
        }
    }

    private static byte[] nextChunk(SafeHttp.Opened o) {
        try {
            return o.next();
        } catch (SafeHttp.NetworkFailure e) {
            throw network(e);
        }
    }

    /** Hands every complete line (with its '\n') to the parser, as QueryMT's adapter does; returns the rest. */
    private ByteArrayOutputStream feedLines(PluginInstance inst, long parserId, ByteArrayOutputStream pending,
            Consumer<JsonNode> consumer, CallState st) {
        byte[] buf = pending.toByteArray();
        int start = 0;
        for (int i = 0; i < buf.length; i++) {
            if (buf[i] == '\n') {
                int from = start;
                int to = i + 1;
                byte[] in = Json.write(g -> {
                    g.writeStartObject();
                    g.writeNumberProperty("parser_id", parserId);
                    g.writeName("chunk");
                    g.writeStartArray();
                    for (int k = from; k < to; k++) g.writeNumber(buf[k] & 0xff);
                    g.writeEndArray();
                    g.writeEndObject();
                });
                emit(callJson(inst, "chat_stream_parser_parse", in, st), consumer);
                start = to;
            }
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(buf, start, buf.length - start);
        return rest;
    }

    private static void emit(JsonNode items, Consumer<JsonNode> consumer) {
        if (items == null || !items.isArray()) return;
        for (JsonNode item : items) {
            consumer.accept(item.isObject() && item.has("chunk") ? item.get("chunk") : item);
        }
    }

    @Override
    public float[][] embed(JsonNode cfg, List<String> inputs) {
        requireObject(cfg);
        return embed(policy(cfg), cfg, inputs);
    }

    float[][] embed(NetworkPolicy policy, JsonNode cfg, List<String> inputs) {
        require(Capability.EMBED, "embed");
        requireObject(cfg);
        CallState st = new CallState(policy, null);
        byte[] input = Json.bytes(PluginCalls.embedInput(cfg, inputs));
        JsonNode out;
        if (abi == Abi.LEGACY) {
            out = callJson("embed", input, st);
        } else {
            HttpWire.Request req = request(callJson("embed_request", input, st), "embed_request");
            HttpWire.Response resp = send(req, st, false);
            out = callJson("parse_embed_response", obj(g -> { Json.tree(g, "cfg", cfg); resp(g, resp); }), st);
        }
        return PluginCalls.embeddings(out, () -> malformed("embed", "an array of vectors"));
    }

    @Override
    public JsonNode complete(JsonNode cfg, JsonNode req) {
        requireObject(cfg);
        return complete(policy(cfg), cfg, req);
    }

    JsonNode complete(NetworkPolicy policy, JsonNode cfg, JsonNode req) {
        require(Capability.COMPLETE, "complete");
        requireObject(cfg);
        CallState st = new CallState(policy, null);
        byte[] input = Json.bytes(PluginCalls.completeInput(cfg, req));
        if (abi == Abi.LEGACY) return callJson("complete", input, st);
        HttpWire.Request hreq = request(callJson("complete_request", input, st), "complete_request");
        HttpWire.Response resp = send(hreq, st, false);
        return callJson("parse_complete_response", obj(g -> { Json.tree(g, "cfg", cfg); resp(g, resp); }), st);
    }

    @Override
    public JsonNode transcribe(JsonNode cfg, JsonNode req) {
        requireObject(cfg);
        return callWithFields(policy(cfg), "transcribe", cfg, req);
    }

    @Override
    public JsonNode speech(JsonNode cfg, JsonNode req) {
        requireObject(cfg);
        return callWithFields(policy(cfg), "speech", cfg, req);
    }

    JsonNode callWithFields(NetworkPolicy policy, String fn, JsonNode cfg, JsonNode req) {
        require(fn.equals("speech") ? Capability.SPEECH : Capability.TRANSCRIBE, fn);
        requireObject(cfg);
        return callJson(fn, Json.bytes(PluginCalls.withCfg(cfg, req)), new CallState(policy, null));
    }

    @Override
    public void close() {
        plugin.close();
    }

    // ------------------------------------------------------------------ plumbing

    private ProviderException classifyChatError(JsonNode cfg, HttpWire.Response resp, CallState st) {
        if (plugin.functionExists("classify_chat_error")) {
            try {
                JsonNode pe = callJson("classify_chat_error", obj(g -> { Json.tree(g, "cfg", cfg); resp(g, resp); }), st);
                if (pe != null && pe.isObject() && pe.has("payload")) {
                    ProviderException e = ProviderErrors.fromPayload(pe.get("payload"));
                    return new ProviderException(e.providerKind(), e.getMessage(), e.retryAfterSeconds().isPresent() ? e.retryAfterSeconds().getAsLong() : null,
                            resp.status(), e.payload(), null);
                }
            } catch (ProviderException e) {
                return e;
            }
        }
        return PluginErrors.fromStatus(resp, true);
    }

    private HttpWire.Response send(HttpWire.Request req, CallState st, boolean rawStatus) {
        HttpWire.Response resp;
        try {
            resp = http.send(req, st.policy(), null);
        } catch (SafeHttp.NetworkFailure e) {
            throw network(e);
        }
        if (!rawStatus && !ok(resp.status())) throw PluginErrors.fromStatus(resp, false);
        return resp;
    }

    private static ProviderException network(SafeHttp.NetworkFailure e) {
        return new ProviderException(ProviderErrorKind.NETWORK, e.getMessage(), e);
    }

    private static boolean ok(int status) {
        return status >= 200 && status <= 299;
    }

    private static HttpWire.Request request(JsonNode out, String fn) {
        try {
            return HttpWire.readRequest(out == null ? null : out.get("req"));
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin " + fn + " returned a malformed request: " + e.getMessage());
        }
    }

    private static void resp(JsonGenerator g, HttpWire.Response r) {
        g.writeName("resp");
        HttpWire.writeResponse(g, r);
    }

    private static byte[] obj(Consumer<JsonGenerator> fields) {
        return Json.write(g -> {
            g.writeStartObject();
            fields.accept(g);
            g.writeEndObject();
        });
    }

    private static byte[] chatInput(JsonNode cfg, JsonNode messages, JsonNode tools) {
        return Json.bytes(PluginCalls.chatInput(cfg, messages, tools));
    }

    private void require(Capability c, String what) {
        if (!capabilities.contains(c)) {
            throw new ProviderException(ProviderErrorKind.UNSUPPORTED, "capability not supported: plugin " + name + " has no " + what);
        }
    }

    private static List<String> strings(JsonNode out, String fn) {
        return PluginCalls.modelIds(out, () -> malformed(fn, "an array of strings"));
    }

    private static ProviderException malformed(String fn, String expected) {
        return new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin " + fn + " did not return " + expected);
    }

    @Override
    public byte[] call(String function, byte[] input) {
        Objects.requireNonNull(function, "function");
        if (!plugin.functionExists(function)) {
            throw new ProviderException(ProviderErrorKind.UNSUPPORTED, "plugin " + name + " has no function '" + function + "'");
        }
        try (CallState offline = CallState.offline()) {
            byte[] out = plugin.call(function, input == null ? new byte[0] : input, offline);
            return out == null ? new byte[0] : out;
        } catch (RuntimeException e) {
            throw PluginErrors.fromRawCall(function, e);
        }
    }

    private byte[] call(String fn, byte[] input, CallState st) {
        try (st) {
            return plugin.call(fn, input, st);
        } catch (RuntimeException e) {
            throw PluginErrors.fromCall(fn, e);
        }
    }

    private static byte[] call(PluginInstance inst, String fn, byte[] input, CallState st) {
        try {
            return inst.call(fn, input, st);
        } catch (RuntimeException e) {
            throw PluginErrors.fromCall(fn, e);
        }
    }

    private JsonNode callJson(String fn, byte[] input, CallState st) {
        return parseOut(fn, call(fn, input, st));
    }

    private static JsonNode callJson(PluginInstance inst, String fn, byte[] input, CallState st) {
        return parseOut(fn, call(inst, fn, input, st));
    }

    private static JsonNode parseOut(String fn, byte[] out) {
        if (out.length == 0) return null;
        try {
            return Json.parse(out);
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin " + fn + " returned invalid JSON: " + e.getMessage());
        }
    }

    private String stringExport(String fn, boolean required) {
        if (!plugin.functionExists(fn)) {
            if (required) throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "not a provider plugin: export '" + fn + "' is missing");
            return null;
        }
        byte[] out;
        try {
            out = call(fn, NULL, CallState.offline());
        } catch (ProviderException e) {
            if (required) throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin " + fn + " failed: " + e.getMessage(), e);
            LOG.debug("optional export {} failed: {}", fn, e.getMessage());
            return null;
        }
        String s = new String(out, StandardCharsets.UTF_8).trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            try {
                JsonNode n = Json.parse(out);
                if (n.isString()) s = n.stringValue();
            } catch (IllegalArgumentException ignored) {
                // keep raw
            }
        }
        return s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** QueryMT's numbering: 0 off, 1 error, 2 warn, 3 info, 4 debug, 5 trace. */
    private static int logLevel(String label) {
        Logger l = LoggerFactory.getLogger("qmt4j.plugin." + label);
        if (l.isTraceEnabled()) return 5;
        if (l.isDebugEnabled()) return 4;
        if (l.isInfoEnabled()) return 3;
        if (l.isWarnEnabled()) return 2;
        if (l.isErrorEnabled()) return 1;
        return 0;
    }

    /** The plugin's Extism config: top-level entries of {@code cfg}; strings as-is, others as JSON text, nulls dropped. */
    static Map<String, String> extismConfig(JsonNode cfg) {
        return extismConfig(cfg, Map.of());
    }

    /**
     * {@link #extismConfig(JsonNode)} plus the environment variables {@code env} (already limited to
     * those the sandbox lists), each under its own name; a config entry of the same name wins.
     */
    static Map<String, String> extismConfig(JsonNode cfg, Map<String, String> env) {
        Map<String, String> m = new LinkedHashMap<>(env);
        if (cfg == null || !cfg.isObject()) return m;
        for (Map.Entry<String, JsonNode> e : cfg.properties()) {
            JsonNode v = e.getValue();
            if (v == null || v.isNull()) continue;
            m.put(e.getKey(), v.isString() ? v.stringValue() : v.toString());
        }
        return m;
    }

    /** The values of the variables {@code sandbox} lists that {@code env} has; nothing else. */
    private static Map<String, String> visibleEnv(Sandbox sandbox, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : sandbox.env()) {
            String v = env.get(name);
            if (v != null) out.put(name, v);
        }
        return out;
    }

    /** Builds a {@link WasmProvider}. */
    public static final class Builder {
        private final Path path;
        private final byte[] bytes;
        private JsonNode config = Json.object();
        private Sandbox sandbox = Sandbox.defaults();
        private Map<String, String> env = Map.of();
        private HttpLimits limits = HttpLimits.DEFAULT;
        private int poolSize;
        private Path compileCacheDir;
        private String name;
        private boolean wasi = true;

        private Builder(Path path, byte[] bytes) {
            this.path = path;
            this.bytes = bytes;
        }

        /**
         * The provider config (a JSON object). Its entries become the plugin's Extism config (with
         * the environment variables of {@link #env}, nothing else); its {@code base_url} and the
         * sandbox's {@code allowed_hosts} shape the manifest's allowed hosts for Extism's built-in
         * {@code http_request}.
         */
        public Builder config(JsonNode providerConfig) {
            requireObject(providerConfig);
            this.config = providerConfig.deepCopy();
            return this;
        }

        /**
         * The host's sandbox for this provider (default {@link Sandbox#defaults()}): allowed hosts,
         * private networks, visible environment variables, limits. Replaces what
         * {@link #allowedHosts}, {@link #timeout}, {@link #maxMemoryPages} and the response cap of
         * {@link #httpLimits} set before.
         */
        public Builder sandbox(Sandbox sandbox) {
            this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
            return this;
        }

        /**
         * Where the values of the sandbox's {@link Sandbox#env} variables come from (e.g.
         * {@code System.getenv()}); only the variables the sandbox lists are read. Default: none.
         */
        public Builder env(Map<String, String> environment) {
            this.env = Map.copyOf(environment);
            return this;
        }

        /** Extra host globs the application allows for this provider (added to the sandbox's {@code allowed_hosts}). */
        public Builder allowedHosts(Collection<String> hostGlobs) {
            sandbox = sandbox.withAllowedHosts(hostGlobs);
            return this;
        }

        /** HTTP timeouts, size cap and redirect limit (the size cap also becomes the sandbox's). */
        public Builder httpLimits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            sandbox = sandbox.withMaxHttpResponseBytes(limits.maxResponseBytes());
            return this;
        }

        /** Per-call guest time limit (default 300 s; legacy plugins do their HTTP inside the call). */
        public Builder timeout(Duration timeout) {
            sandbox = sandbox.withTimeout(Objects.requireNonNull(timeout, "timeout"));
            return this;
        }

        /** Memory cap in 64 KiB pages (default: the Wasm host's default). */
        public Builder maxMemoryPages(int pages) {
            sandbox = sandbox.withMaxMemoryPages(pages);
            return this;
        }

        /** Pooled instances = parallel calls (default: the Wasm host's default). */
        public Builder poolSize(int size) {
            this.poolSize = size;
            return this;
        }

        /** Where compiled modules are cached. */
        public Builder compileCacheDir(Path dir) {
            this.compileCacheDir = dir;
            return this;
        }

        /** The provider's configured name (for logs); the plugin's own name is still {@link #name()}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Whether WASI preview1 is linked (default true; no env, args or directories are given). */
        public Builder wasi(boolean on) {
            this.wasi = on;
            return this;
        }

        /**
         * Loads the plugin and reads its metadata.
         *
         * @throws ProviderException {@link ProviderErrorKind#PLUGIN_ERROR} if the module cannot be
         *         loaded or has no {@code name} export
         */
        public WasmProvider build() {
            byte[] wasm = bytes;
            if (wasm == null) {
                try {
                    wasm = Files.readAllBytes(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + path, e);
                }
            }
            return new WasmProvider(this, wasm);
        }
    }
}
