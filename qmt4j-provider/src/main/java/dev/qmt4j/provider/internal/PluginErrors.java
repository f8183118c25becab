package dev.qmt4j.provider.internal;

import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.wasm.PluginCallException;
import dev.qmt4j.wasm.PluginException;
import dev.qmt4j.wasm.PluginSandboxException;
import dev.qmt4j.wasm.PluginTimeoutException;
import dev.qmt4j.wasm.PluginTrapException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps QueryMT's error transport to {@link ProviderException}: guest errors with return code 1
 * and a {@code {"payload": LLMErrorPayload}} body (tag {@code type}, snake_case variants of
 * {@code querymt::error::LLMErrorPayload}), HTTP statuses ({@code classify_http_status} /
 * {@code classify_status_only}), and Wasm runtime failures.
 */
public final class PluginErrors {
    /** QueryMT's {@code error_codes::STRUCTURED}. */
    public static final int STRUCTURED = 1;

    private PluginErrors() {}

    /** Converts a failure of export {@code function} into a provider error. */
    public static ProviderException fromCall(String function, RuntimeException e) {
        if (e instanceof ProviderException pe) return pe;
        if (e instanceof PluginCallException call) {
            String guest = call.guestError();
            if (call.returnCode() == STRUCTURED && guest != null) {
                ProviderException structured = fromPluginErrorJson(guest);
                if (structured != null) return structured;
            }
            String msg = guest != null && !guest.isEmpty() ? guest : call.getMessage();
            return new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin " + function + " failed: " + msg, e);
        }
        if (e instanceof PluginTimeoutException) {
            return new ProviderException(ProviderErrorKind.LIMIT_EXCEEDED, "plugin " + function + " timed out", e);
        }
        if (e instanceof PluginSandboxException sb) {
            ProviderErrorKind k = sb.reason() == PluginSandboxException.Reason.HOST ? ProviderErrorKind.SANDBOX_DENIED : ProviderErrorKind.LIMIT_EXCEEDED;
            return new ProviderException(k, "plugin " + function + ": " + sb.getMessage(), e);
        }
        if (e instanceof PluginTrapException) {
            return new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin " + function + " trapped: " + e.getMessage(), e);
        }
        if (e instanceof PluginException) {
            return new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin " + function + " failed: " + e.getMessage(), e);
        }
        return new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "plugin " + function + " failed: " + e, e);
    }

    /**
     * {@link #fromCall} for a raw call ({@link dev.qmt4j.provider.ProviderPlugin#call(String, byte[])}):
     * a structured error keeps the plugin's own text in the message ({@code FUNC failed: {"payload":...}}),
     * as {@code extism call} would print it, with the kind and payload the payload describes.
     */
    public static ProviderException fromRawCall(String function, RuntimeException e) {
        if (e instanceof PluginCallException call && call.returnCode() == STRUCTURED && call.guestError() != null) {
            ProviderException structured = fromPluginErrorJson(call.guestError());
            if (structured != null) {
                return new ProviderException(structured.providerKind(), function + " failed: " + call.guestError().strip(),
                        structured.retryAfterSeconds().isPresent() ? structured.retryAfterSeconds().getAsLong() : null,
                        null, structured.payload(), e);
            }
        }
        return fromCall(function, e);
    }

    /** Decodes a {@code PluginError} JSON text ({@code {"payload": {...}}}); null if it is not one. */
    public static ProviderException fromPluginErrorJson(String json) {
        JsonNode n;
        try {
            n = Json.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (n == null || !n.isObject() || !n.has("payload")) return null;
        return fromPayload(n.get("payload"));
    }

    /** Maps one {@code LLMErrorPayload}. */
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

    static ProviderErrorKind statusKind(int status, boolean chat) {
        if (status == 499) return ProviderErrorKind.CANCELLED;
        if (status == 401 || status == 403) return ProviderErrorKind.AUTHENTICATION;
        if (status == 429) return ProviderErrorKind.RATE_LIMITED;
        if (status == 400 || (chat && status == 422)) return ProviderErrorKind.INVALID_REQUEST;
        return ProviderErrorKind.PROVIDER_ERROR;
    }

    /**
     * Classifies a non-success response the host received (QueryMT's {@code classify_status_only}
     * for chat, {@code classify_http_status} otherwise): message from {@code error.message} of a JSON
     * body, else the body text, else "HTTP n"; retry hint from {@code Retry-After} (seconds or
     * HTTP date) or the body's {@code retry_after}/{@code retry_after_secs}.
     */
    public static ProviderException fromStatus(HttpWire.Response r, boolean chat) {
        String body = r.bodyText();
        JsonNode json = null;
        try {
            json = Json.parse(r.body());
        } catch (IllegalArgumentException ignored) {
            // not JSON
        }
        Long retry = retryAfter(r.headers().first("retry-after"));
        if (retry == null && json != null) {
            retry = jsonRetry(json.at("/error/retry_after"));
            if (retry == null) retry = jsonRetry(json.get("retry_after"));
            if (retry == null) retry = jsonRetry(json.get("retry_after_secs"));
        }
        String message = null;
        if (json != null && json.at("/error/message").isString()) message = json.at("/error/message").stringValue().trim();
        if (message == null) message = body.trim();
        if (message.isEmpty()) message = "HTTP " + r.status();
        ProviderErrorKind kind = statusKind(r.status(), chat);
        if (kind == ProviderErrorKind.CANCELLED) message = "cancelled";
        return new ProviderException(kind, message, retry, r.status(), null, null);
    }

    /** The {@code LLMErrorPayload} QueryMT's {@code classify_http_status} would produce, as JSON. */
    public static ObjectNode payloadForStatus(HttpWire.Response r) {
        ProviderException e = fromStatus(r, false);
        ObjectNode p = Json.object();
        int s = r.status();
        if (s == 499) {
            p.put("type", "cancelled");
            return p;
        }
        if (s == 401 || s == 403) {
            p.put("type", "auth_error").put("message", e.getMessage());
        } else if (s == 429) {
            p.put("type", "rate_limited").put("message", e.getMessage());
            if (e.retryAfterSeconds().isPresent()) p.put("retry_after_secs", e.retryAfterSeconds().getAsLong());
            else p.putNull("retry_after_secs");
        } else if (s == 400) {
            p.put("type", "invalid_request").put("message", e.getMessage());
        } else if (s >= 500 && s <= 599) {
            p.put("type", "http_status").put("status_code", s).put("message", e.getMessage());
            if (e.retryAfterSeconds().isPresent()) p.put("retry_after_secs", e.retryAfterSeconds().getAsLong());
            else p.putNull("retry_after_secs");
        } else {
            p.put("type", "provider_error").put("message", e.getMessage());
        }
        return p;
    }

    /** {@code {"payload": {"type":"transport","kind":kind,"message":message}}} as text. */
    public static String transportPluginError(String transportKind, String message) {
        ObjectNode p = Json.object();
        p.put("type", "transport").put("kind", transportKind).put("message", message);
        ObjectNode w = Json.object();
        w.set("payload", p);
        return w.toString();
    }

    private static Long jsonRetry(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) return null;
        if (v.isIntegralNumber()) return Math.max(0, v.asLong());
        if (v.isNumber()) return (long) Math.ceil(Math.max(0, v.asDouble()));
        if (v.isString()) return retryAfter(v.stringValue());
        return null;
    }

    static Long retryAfter(String h) {
        if (h == null || h.isBlank()) return null;
        String s = h.trim();
        try {
            return Math.max(0, Long.parseLong(s));
        } catch (NumberFormatException ignored) {
            // maybe a date or a duration
        }
        try {
            double d = Double.parseDouble(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
            return (long) Math.ceil(Math.max(0, d));
        } catch (NumberFormatException ignored) {
            // maybe a date
        }
        try {
            ZonedDateTime t = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Math.max(0, ChronoUnit.SECONDS.between(ZonedDateTime.now(t.getZone()), t));
        } catch (RuntimeException ignored) {
            return null;
        }
    }

    private static String str(JsonNode o, String f, String dflt) {
        JsonNode v = o.get(f);
        return v != null && v.isString() ? v.stringValue() : dflt;
    }
}
