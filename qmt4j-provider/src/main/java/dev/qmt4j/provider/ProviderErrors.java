package dev.qmt4j.provider;

import dev.qmt4j.provider.model.QmtJson;
import dev.qmt4j.provider.model.QmtJsonException;
import tools.jackson.databind.JsonNode;

/**
 * QueryMT's plugin error transport mapped to {@link ProviderException}, the same for every runtime
 * (the Wasm provider and the native plugin loader), so that both classify errors identically: guest
 * errors with return code {@link #STRUCTURED} and a {@code {"payload": LLMErrorPayload}} body (tag
 * {@code type}, snake_case variants of {@code querymt::error::LLMErrorPayload}), and HTTP statuses.
 */
public final class ProviderErrors {
    /** The return code of a structured error (QueryMT's {@code error_codes::STRUCTURED}). */
    public static final int STRUCTURED = 1;

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
            ProviderException structured = fromPluginErrorJson(guestError);
            if (structured != null) return structured;
        }
        String msg = guestError != null && !guestError.isEmpty() ? guestError : "return code " + returnCode;
        return new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin " + function + " failed: " + msg);
    }

    /** Decodes a {@code PluginError} JSON text ({@code {"payload": {...}}}); null if it is not one. */
    public static ProviderException fromPluginErrorJson(String json) {
        JsonNode n;
        try {
            n = QmtJson.parse(json);
        } catch (QmtJsonException e) {
            return null;
        }
        if (n == null || !n.isObject() || !n.has("payload")) return null;
        return fromPayload(n.get("payload"));
    }

    /** Maps one {@code LLMErrorPayload} JSON object. */
    public static ProviderException fromPayload(JsonNode p) {
        if (p == null || !p.isObject()) {
            return new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin error: " + p, null, null, p, null);
        }
        String type = str(p, "type", "");
        String message = str(p, "message", type.isEmpty() ? "plugin error" : type.replace('_', ' '));
        Long retry = p.hasNonNull("retry_after_secs") && p.get("retry_after_secs").isIntegralNumber() ? p.get("retry_after_secs").asLong() : null;
        Integer status = null;
        ProviderErrorKind kind;
        switch (type) {
            case "provider_error" -> kind = providerKind(str(p, "kind", null));
            case "auth_error" -> kind = ProviderErrorKind.AUTHENTICATION;
            case "tool_config_error", "invalid_request" -> kind = ProviderErrorKind.INVALID_REQUEST;
            case "plugin_error" -> kind = ProviderErrorKind.PLUGIN_ERROR;
            case "generic_error" -> kind = ProviderErrorKind.PROVIDER_ERROR;
            case "response_format_error", "json_error" -> kind = ProviderErrorKind.RESPONSE_FORMAT;
            case "rate_limited" -> kind = ProviderErrorKind.RATE_LIMITED;
            case "http_status" -> {
                status = p.hasNonNull("status_code") ? p.get("status_code").asInt() : null;
                kind = status == null ? ProviderErrorKind.PROVIDER_ERROR : statusKind(status, false);
            }
            case "http_error", "transport", "io_error", "remote_stream_disconnected", "remote_stream_reconnected" ->
                    kind = ProviderErrorKind.NETWORK;
            case "cancelled" -> {
                kind = ProviderErrorKind.CANCELLED;
                message = "cancelled";
            }
            case "not_implemented" -> kind = ProviderErrorKind.UNSUPPORTED;
            case "invalid_url" -> kind = ProviderErrorKind.INVALID_REQUEST;
            default -> kind = ProviderErrorKind.PLUGIN_ERROR;
        }
        return new ProviderException(kind, message, retry, status, p, null);
    }

    /**
     * The kind of a non-success HTTP status, as QueryMT classifies it ({@code classify_status_only}
     * for chat, where 422 is also an invalid request; {@code classify_http_status} otherwise).
     */
    public static ProviderErrorKind statusKind(int status, boolean chat) {
        if (status == 499) return ProviderErrorKind.CANCELLED;
        if (status == 401 || status == 403) return ProviderErrorKind.AUTHENTICATION;
        if (status == 429) return ProviderErrorKind.RATE_LIMITED;
        if (status == 400 || (chat && status == 422)) return ProviderErrorKind.INVALID_REQUEST;
        return ProviderErrorKind.PROVIDER_ERROR;
    }

    static ProviderErrorKind providerKind(String k) {
        if (k == null) return ProviderErrorKind.PROVIDER_ERROR;
        return switch (k) {
            case "server_overloaded" -> ProviderErrorKind.SERVER_OVERLOADED;
            case "rate_limited" -> ProviderErrorKind.RATE_LIMITED;
            case "quota_exceeded" -> ProviderErrorKind.QUOTA_EXCEEDED;
            case "context_window_exceeded" -> ProviderErrorKind.CONTEXT_WINDOW_EXCEEDED;
            case "authentication" -> ProviderErrorKind.AUTHENTICATION;
            case "invalid_request" -> ProviderErrorKind.INVALID_REQUEST;
            case "unsupported_operation" -> ProviderErrorKind.UNSUPPORTED;
            default -> ProviderErrorKind.PROVIDER_ERROR;
        };
    }

    private static String str(JsonNode o, String f, String dflt) {
        JsonNode v = o.get(f);
        return v != null && v.isString() ? v.stringValue() : dflt;
    }
}
