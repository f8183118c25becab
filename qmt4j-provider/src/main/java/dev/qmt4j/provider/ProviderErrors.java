package dev.qmt4j.provider;

import dev.qmt4j.provider.internal.PluginErrors;
import tools.jackson.databind.JsonNode;

/**
 * QueryMT's plugin error transport mapped to {@link ProviderException}, for runtimes other than
 * Wasm (the native plugin loader) so that every runtime classifies errors identically to
 * {@link dev.qmt4j.provider.wasm.WasmProvider}.
 */
public final class ProviderErrors {
    /** The return code of a structured error (QueryMT's {@code error_codes::STRUCTURED}). */
    public static final int STRUCTURED = PluginErrors.STRUCTURED;

    private ProviderErrors() {}

    /**
     * The error for a failed plugin call: with return code {@link #STRUCTURED} and a
     * {@code {"payload": LLMErrorPayload}} body, the typed error the payload describes; otherwise
     * (other codes, or a body that is not such JSON) {@link ProviderErrorKind#PLUGIN_ERROR} with
     * the plugin's message.
     *
     * @param function   the plugin function that failed (for the message)
     * @param returnCode the plugin's return code
     * @param guestError the error text the plugin returned, or null
     */
    public static ProviderException fromGuestError(String function, int returnCode, String guestError) {
        if (returnCode == STRUCTURED && guestError != null) {
            ProviderException structured = PluginErrors.fromPluginErrorJson(guestError);
            if (structured != null) return structured;
        }
        String msg = guestError != null && !guestError.isEmpty() ? guestError : "return code " + returnCode;
        return new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin " + function + " failed: " + msg);
    }

    /** Maps one {@code LLMErrorPayload} JSON object. */
    public static ProviderException fromPayload(JsonNode payload) {
        return PluginErrors.fromPayload(payload);
    }
}
