package dev.qmt4j.nativeplugin;

import static dev.qmt4j.provider.PluginCalls.requireObject;

import dev.qmt4j.nativeplugin.internal.NativeAbi;
import dev.qmt4j.nativeplugin.internal.NativeJson;
import dev.qmt4j.provider.Capability;
import dev.qmt4j.provider.PluginCalls;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderErrors;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.ProviderPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A provider plugin in a shared library implementing qmt4j's C ABI ({@code include/qmt4j_plugin.h},
 * {@code docs/native-abi.md}), loaded with JNA.
 *
 * <pre>{@code
 * try (NativeProvider p = NativeProvider.load(Path.of("libecho_provider.so"))) {
 *     JsonNode reply = p.chat(cfg, messages, null);
 * }
 * }</pre>
 *
 * <p>Loading checks {@code qmt4j_abi_version} (it must be {@value NativeAbi#VERSION}), then calls
 * {@code name}, {@code capabilities}, {@code api_key_name} and {@code base_url}. Errors map exactly as
 * for Wasm plugins: return code 1 with {@code {"payload": LLMErrorPayload}} gives the typed
 * {@link ProviderException} the payload describes, any other error code {@link ProviderErrorKind#PLUGIN_ERROR}
 * with the plugin's message, and -1 (unknown function) {@link ProviderErrorKind#UNSUPPORTED}.
 *
 * <p><b>No sandbox:</b> the plugin runs in this process with its full privileges and does its own
 * networking; the config's {@code base_url}/{@code allowed_hosts} network policy is <em>not</em>
 * enforced. {@link #close()} stops further calls but does not unload the library.
 */
public final class NativeProvider implements ProviderPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(NativeProvider.class);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, Capability> CAPABILITY_NAMES = Map.of("chat", Capability.CHAT, "chat_stream",
            Capability.CHAT_STREAM, "list_models", Capability.LIST_MODELS, "embed", Capability.EMBED, "complete",
            Capability.COMPLETE, "transcribe", Capability.TRANSCRIBE, "speech", Capability.SPEECH);

    private final NativeAbi abi;
    private final String name;
    private final String apiKeyName;
    private final String baseUrl;
    private final Set<Capability> capabilities;
    private volatile JsonNode schema;
    private volatile boolean closed;

    private NativeProvider(NativeAbi abi) {
        this.abi = abi;
        try {
            this.name = stringResult("name", true);
            this.capabilities = Collections.unmodifiableSet(readCapabilities());
            this.apiKeyName = stringResult("api_key_name", false);
            this.baseUrl = stringResult("base_url", false);
        } catch (ProviderException e) {
            throw new NativeLoadException(NativeLoadException.Reason.BAD_METADATA,
                    "native plugin " + abi.path() + " failed to describe itself: " + e.getMessage(), null, e);
        }
    }

    /**
     * Loads the plugin library at {@code library}.
     *
     * @throws NativeLoadException when the file is missing or not loadable on this machine, is a
     *         QueryMT native plugin (Rust trait ABI; {@link NativeLoadException.Reason#QUERYMT_RUST_ABI}),
     *         lacks the qmt4j symbols, implements another ABI version
     *         ({@link NativeLoadException.Reason#ABI_MISMATCH}), or its {@code name}/{@code capabilities} fail
     */
    public static NativeProvider load(Path library) {
        return new NativeProvider(NativeAbi.open(Objects.requireNonNull(library, "library")));
    }

    /** The ABI version this qmt4j implements. */
    public static int abiVersion() {
        return NativeAbi.VERSION;
    }

    /** The library file (absolute). */
    public Path path() {
        return abi.path();
    }

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

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public JsonNode configSchema() {
        JsonNode s = schema;
        if (s != null) return s;
        NativeAbi.Result r = raw("config_schema", NULL);
        if (r.code() == NativeAbi.UNKNOWN_FUNCTION) {
            s = NativeJson.object();
        } else {
            s = output("config_schema", r);
            if (s != null && s.isString()) s = NativeJson.parse("config_schema", s.stringValue().getBytes(StandardCharsets.UTF_8));
            if (s == null || s.isNull()) s = NativeJson.object();
        }
        schema = s;
        return s;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A plugin without {@code from_config} accepts {@code cfg} unchanged. A rejection is reported
     * as {@link ProviderErrorKind#INVALID_CONFIG} (authentication errors keep their kind), with the
     * plugin's payload.
     */
    @Override
    public JsonNode fromConfig(JsonNode cfg) {
        requireObject(cfg);
        NativeAbi.Result r = raw("from_config", NativeJson.bytes(cfg));
        if (r.code() == NativeAbi.UNKNOWN_FUNCTION) return cfg;
        try {
            return output("from_config", r);
        } catch (ProviderException e) {
            throw e.providerKind() == ProviderErrorKind.AUTHENTICATION ? e : e.withKind(ProviderErrorKind.INVALID_CONFIG);
        }
    }

    @Override
    public List<String> listModels(JsonNode cfg) {
        require(Capability.LIST_MODELS, "list_models");
        requireObject(cfg);
        return PluginCalls.modelIds(call("list_models", cfg), () -> malformed("list_models", "an array of strings"));
    }

    @Override
    public JsonNode chat(JsonNode cfg, JsonNode messages, JsonNode tools) {
        require(Capability.CHAT, "chat");
        requireObject(cfg);
        return call("chat", PluginCalls.chatInput(cfg, messages, tools));
    }

    /**
     * {@inheritDoc}
     *
     * <p>If {@code consumer} throws, the plugin is asked to stop and the exception is rethrown here.
     */
    @Override
    public void chatStream(JsonNode cfg, JsonNode messages, JsonNode tools, Consumer<JsonNode> consumer) {
        require(Capability.CHAT_STREAM, "chat_stream");
        requireObject(cfg);
        Objects.requireNonNull(consumer, "consumer");
        RuntimeException[] failure = new RuntimeException[1];
        NativeAbi.Result r = abi.chatStream(NativeJson.bytes(PluginCalls.chatInput(cfg, messages, tools)), chunk -> {
            try {
                consumer.accept(NativeJson.parse("chat_stream", chunk));
                return true;
            } catch (RuntimeException e) {
                failure[0] = e;
                return false;
            }
        });
        if (failure[0] != null) throw failure[0];
        if (r.code() != NativeAbi.OK) throw error("chat_stream", r);
    }

    @Override
    public float[][] embed(JsonNode cfg, List<String> inputs) {
        require(Capability.EMBED, "embed");
        requireObject(cfg);
        JsonNode out = call("embed", PluginCalls.embedInput(cfg, inputs));
        return PluginCalls.embeddings(out, () -> malformed("embed", "an array of vectors"));
    }

    @Override
    public JsonNode complete(JsonNode cfg, JsonNode req) {
        require(Capability.COMPLETE, "complete");
        requireObject(cfg);
        return call("complete", PluginCalls.completeInput(cfg, req));
    }

    @Override
    public JsonNode transcribe(JsonNode cfg, JsonNode req) {
        require(Capability.TRANSCRIBE, "transcribe");
        requireObject(cfg);
        return call("transcribe", PluginCalls.withCfg(cfg, req));
    }

    @Override
    public JsonNode speech(JsonNode cfg, JsonNode req) {
        require(Capability.SPEECH, "speech");
        requireObject(cfg);
        return call("speech", PluginCalls.withCfg(cfg, req));
    }

    /**
     * Calls plugin function {@code function} with {@code input} (JSON null if null), whether or not it
     * is a known operation (as {@code qmt4j call PROVIDER FUNC INPUT} does).
     *
     * @return the result, or null for an empty output
     * @throws ProviderException {@link ProviderErrorKind#UNSUPPORTED} if the plugin does not know the
     *         function; the mapped error if it fails
     */
    public JsonNode call(String function, JsonNode input) {
        Objects.requireNonNull(function, "function");
        return output(function, raw(function, input == null ? NULL : NativeJson.bytes(input)));
    }

    /**
     * Calls plugin function {@code function} with {@code input} exactly as given (as {@code qmt4j call}
     * does: bytes, like {@code extism call}) and returns its output bytes unparsed.
     *
     * @throws ProviderException {@link ProviderErrorKind#UNSUPPORTED} if the plugin does not know the
     *         function; the mapped error if it fails
     */
    @Override
    public byte[] call(String function, byte[] input) {
        Objects.requireNonNull(function, "function");
        NativeAbi.Result r = raw(function, input == null ? new byte[0] : input);
        if (r.code() != NativeAbi.OK) throw error(function, r);
        return r.output();
    }

    /** Stops further calls. The library stays loaded (it is never unloaded while the JVM runs). */
    @Override
    public void close() {
        closed = true;
    }

    // ------------------------------------------------------------------ plumbing

    private NativeAbi.Result raw(String function, byte[] input) {
        if (closed) throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "native plugin " + name + " is closed");
        return abi.call(function, input);
    }

    private JsonNode output(String function, NativeAbi.Result r) {
        if (r.code() != NativeAbi.OK) throw error(function, r);
        return r.output().length == 0 ? null : NativeJson.parse(function, r.output());
    }

    private ProviderException error(String function, NativeAbi.Result r) {
        if (r.code() == NativeAbi.UNKNOWN_FUNCTION) {
            return new ProviderException(ProviderErrorKind.UNSUPPORTED,
                    "capability not supported: native plugin " + (name != null ? name : abi.path()) + " has no function '" + function + "'");
        }
        return ProviderErrors.fromGuestError(function, r.code(), new String(r.output(), StandardCharsets.UTF_8));
    }

    private Set<Capability> readCapabilities() {
        JsonNode caps = output("capabilities", raw("capabilities", NULL));
        if (caps == null || !caps.isArray()) throw malformed("capabilities", "an array of strings");
        EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
        for (JsonNode n : caps) {
            Capability c = n.isString() ? CAPABILITY_NAMES.get(n.stringValue()) : null;
            if (c == null) LOG.debug("native plugin {}: ignoring unknown capability {}", name, n);
            else set.add(c);
        }
        if (set.contains(Capability.CHAT_STREAM) && !abi.hasStream()) {
            LOG.warn("native plugin {} lists chat_stream but does not export {}; streaming disabled", name, NativeAbi.STREAM_SYMBOL);
            set.remove(Capability.CHAT_STREAM);
        }
        return set;
    }

    private String stringResult(String function, boolean required) {
        NativeAbi.Result r = raw(function, NULL);
        if (r.code() == NativeAbi.UNKNOWN_FUNCTION && !required) return null;
        String s;
        if (r.code() == NativeAbi.OK && r.output().length > 0 && r.output()[0] != '"' && !"null".equals(utf8(r.output()).trim())) {
            s = utf8(r.output()).trim(); // a bare string is tolerated
        } else {
            JsonNode n = output(function, r);
            if (n != null && !n.isNull() && !n.isString()) throw malformed(function, "a string");
            s = n == null || n.isNull() ? null : n.stringValue();
        }
        if (s != null && s.isBlank()) s = null;
        if (s == null && required) throw malformed(function, "a non-empty string");
        return s;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private void require(Capability c, String what) {
        if (!capabilities.contains(c)) {
            throw new ProviderException(ProviderErrorKind.UNSUPPORTED, "capability not supported: native plugin " + name + " has no " + what);
        }
    }

    private static ProviderException malformed(String fn, String expected) {
        return new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "native plugin " + fn + " did not return " + expected);
    }
}
