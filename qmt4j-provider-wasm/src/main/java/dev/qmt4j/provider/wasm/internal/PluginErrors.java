package dev.qmt4j.provider.wasm.internal;

import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderErrors;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.wasm.PluginCallException;
import dev.qmt4j.wasm.PluginException;
import dev.qmt4j.wasm.PluginSandboxException;
import dev.qmt4j.wasm.PluginTimeoutException;
import dev.qmt4j.wasm.PluginTrapException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps what the Wasm runtime sees to {@link ProviderException}: failed calls (guest errors, with
 * QueryMT's structured payloads decoded by {@link ProviderErrors}, timeouts, sandbox refusals,
 * traps), and the HTTP responses the host received for the plugin ({@code classify_http_status} /
 * {@code classify_status_only}).
 */
public final class PluginErrors {
    private PluginErrors() {}

    /** Converts a failure of export {@code function} into a provider error. */
    public static ProviderException fromCall(String function, RuntimeException e) {
        if (e instanceof ProviderException pe) return pe;
        if (e instanceof PluginCallException call) {
            String guest = call.guestError();
            if (call.returnCode() == ProviderErrors.STRUCTURED && guest != null) {
                ProviderException structured = ProviderErrors.fromPluginErrorJson(guest);
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
        if (e instanceof PluginCallException call && call.returnCode() == ProviderErrors.STRUCTURED && call.guestError() != null) {
            ProviderException structured = ProviderErrors.fromPluginErrorJson(call.guestError());
            if (structured != null) {
                return new ProviderException(structured.providerKind(), function + " failed: " + call.guestError().strip(),
                        structured.retryAfterSeconds().isPresent() ? structured.retryAfterSeconds().getAsLong() : null,
                        null, structured.payload(), e);
            }
        }
        return fromCall(function, e);
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
        ProviderErrorKind kind = ProviderErrors.statusKind(r.status(), chat);
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
}
