package dev.qmt4j.host;

import dev.qmt4j.nativeplugin.NativeProvider;
import dev.qmt4j.provider.HttpLimits;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.internal.PluginErrors;
import dev.qmt4j.provider.internal.QmtHostFunctions;
import dev.qmt4j.provider.internal.SafeHttp;
import dev.qmt4j.wasm.ExtismPlugin;
import dev.qmt4j.wasm.PluginCallException;
import dev.qmt4j.wasm.PluginException;
import dev.qmt4j.wasm.WasmManifest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A raw call of any plugin function, for {@link PluginRegistry#call}. Native plugins have it in
 * their ABI; for Wasm a short-lived Extism instance is built from the same file with WASI, QueryMT's
 * host functions and the provider's static config as Extism config. It has no network: the host
 * functions run with the offline call state, so {@code qmt_http_*} is refused.
 */
final class RawCall {
    private RawCall() {}

    static JsonNode call(String name, ProviderLease lease, JsonNode staticConfig, String function, JsonNode input) {
        if (lease.plugin() instanceof NativeProvider n) {
            return n.call(function, input);
        }
        byte[] out = call(name, lease, staticConfig, function, input == null ? new byte[0] : Jsons.MAPPER.writeValueAsBytes(input));
        if (out.length == 0) {
            return null;
        }
        String text = new String(out, StandardCharsets.UTF_8);
        try {
            return Jsons.MAPPER.readTree(text);
        } catch (JacksonException e) {
            return Jsons.MAPPER.getNodeFactory().stringNode(text);
        }
    }

    /**
     * Calls {@code function} with {@code input} as it is, as {@code extism call} does, and returns the
     * output bytes. A plugin error with QueryMT's structured payload ({@code {"payload":{...}}}, return
     * code 1) becomes the {@link ProviderException} that payload describes, so the plugin's own words
     * (e.g. its JSON parse error) reach the caller.
     */
    static byte[] call(String name, ProviderLease lease, JsonNode staticConfig, String function, byte[] input) {
        if (lease.plugin() instanceof NativeProvider n) {
            return n.callRaw(function, input);
        }
        if (lease.file() == null) {
            throw new ProviderException(ProviderErrorKind.UNSUPPORTED, "provider '" + name + "': raw calls need the plugin file");
        }
        Map<String, String> cfg = new LinkedHashMap<>();
        staticConfig.properties().forEach(e -> cfg.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : e.getValue().toString()));
        WasmManifest manifest = WasmManifest.builder().module(lease.file()).wasi(true).config(cfg).build();
        try (ExtismPlugin p = ExtismPlugin.builder(manifest).name(name).poolSize(1)
                .hostFunctions(new QmtHostFunctions(new SafeHttp(HttpLimits.DEFAULT), name).functions()).build()) {
            if (!p.functionExists(function)) {
                throw new ProviderException(ProviderErrorKind.UNSUPPORTED, "provider '" + name + "' has no function '" + function + "'");
            }
            byte[] out = p.call(function, input);
            return out == null ? new byte[0] : out;
        } catch (PluginCallException e) {
            ProviderException structured = e.returnCode() == PluginErrors.STRUCTURED && e.guestError() != null
                    ? PluginErrors.fromPluginErrorJson(e.guestError()) : null;
            if (structured != null) {
                throw new ProviderException(structured.providerKind(), "provider '" + name + "': " + function + " failed: "
                        + e.guestError().strip(), structured.retryAfterSeconds().isPresent() ? structured.retryAfterSeconds().getAsLong() : null,
                        null, structured.payload(), e);
            }
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "provider '" + name + "': " + function + " failed: " + e.getMessage(), e);
        } catch (PluginException e) {
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "provider '" + name + "': " + function + " failed: " + e.getMessage(), e);
        }
    }
}
