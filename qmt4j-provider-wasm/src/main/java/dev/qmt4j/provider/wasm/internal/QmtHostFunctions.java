package dev.qmt4j.provider.wasm.internal;

import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderErrors;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.wasm.CallContext;
import dev.qmt4j.wasm.HostFunction;
import dev.qmt4j.wasm.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * QueryMT's host functions for guests, in {@code extism:host/user}, all taking and returning
 * Extism memory handles:
 * <ul>
 *   <li>{@code qmt_http_request({"req": HttpRequest}) -> {"resp": HttpResponse}}: network errors come
 *       back as a synthetic 500 with the error text, cancellation as 499 "cancelled" (as QueryMT);</li>
 *   <li>{@code qmt_http_stream_open({"req"}) -> {"status":"ok","stream_id":n} | {"status":"cancelled"}
 *       | {"status":"error","plugin_error":"<PluginError JSON>","error_code":1}}; a non-2xx status
 *       is classified like QueryMT's {@code classify_http_status}, a network error becomes a
 *       {@code transport} payload;</li>
 *   <li>{@code qmt_http_stream_next(id JSON) -> bytes} (0 = end; id 0 = cancelled sentinel; unknown id traps);</li>
 *   <li>{@code qmt_http_stream_close(id JSON)};</li>
 *   <li>{@code qmt_yield_chunk(ExtismChatChunk JSON)}: its {@code chunk} goes to the stream consumer;</li>
 *   <li>{@code qmt_log({"level":1-5,"target","message"})}.</li>
 * </ul>
 * Unlike QueryMT, a request to a host the {@link dev.qmt4j.provider.NetworkPolicy} refuses (first
 * request or any redirect hop) always fails the guest call with a {@link ProviderException} of kind
 * {@link ProviderErrorKind#SANDBOX_DENIED} (a trap the guest cannot swallow), in every function alike;
 * nothing is sent. A response over the size cap fails the call with {@link ProviderErrorKind#LIMIT_EXCEEDED}.
 */
public final class QmtHostFunctions {
    private final SafeHttp http;
    private final String pluginName;
    private final Logger guestLog;

    public QmtHostFunctions(SafeHttp http, String pluginName) {
        this.http = http;
        this.pluginName = pluginName;
        this.guestLog = LoggerFactory.getLogger("qmt4j.plugin." + pluginName);
    }

    /** The six functions, to register on an {@code ExtismPlugin}. */
    public List<HostFunction> functions() {
        List<ValueType> ptr = List.of(ValueType.I64);
        return List.of(
                HostFunction.of("qmt_http_request", ptr, ptr, (ctx, a) -> new long[] {httpRequest(ctx, a[0])}),
                HostFunction.of("qmt_http_stream_open", ptr, ptr, (ctx, a) -> new long[] {streamOpen(ctx, a[0])}),
                HostFunction.of("qmt_http_stream_next", ptr, ptr, (ctx, a) -> new long[] {streamNext(ctx, a[0])}),
                HostFunction.of("qmt_http_stream_close", ptr, List.of(), (ctx, a) -> { streamClose(ctx, a[0]); return null; }),
                HostFunction.of("qmt_yield_chunk", ptr, List.of(), (ctx, a) -> { yieldChunk(ctx, a[0]); return null; }),
                HostFunction.of("qmt_log", ptr, List.of(), (ctx, a) -> { log(ctx, a[0]); return null; }));
    }

    private static CallState state(CallContext ctx) {
        CallState s = ctx.hostContext(CallState.class);
        return s != null ? s : CallState.offline();
    }

    private static HttpWire.Request readReq(CallContext ctx, long h, String fn) {
        try {
            JsonNode n = Json.parse(ctx.read(h));
            return HttpWire.readRequest(n.get("req"));
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "Failed to deserialize request in " + fn + ": " + e.getMessage());
        }
    }

    long httpRequest(CallContext ctx, long h) {
        CallState st = state(ctx);
        HttpWire.Request req = readReq(ctx, h, "qmt_http_request");
        HttpWire.Response resp;
        if (st.cancelled()) {
            resp = HttpWire.Response.text(499, "cancelled");
        } else {
            try {
                resp = http.send(req, st.policy(), ctx.timeRemaining());
            } catch (SafeHttp.NetworkFailure e) {
                resp = HttpWire.Response.text(500, e.getMessage());
            }
        }
        HttpWire.Response r = resp;
        return ctx.write(Json.write(g -> {
            g.writeStartObject();
            g.writeName("resp");
            HttpWire.writeResponse(g, r);
            g.writeEndObject();
        }));
    }

    long streamOpen(CallContext ctx, long h) {
        CallState st = state(ctx);
        HttpWire.Request req = readReq(ctx, h, "qmt_http_stream_open");
        ObjectNode out = Json.object();
        if (st.cancelled()) {
            out.put("status", "cancelled");
            return ctx.write(Json.bytes(out));
        }
        try {
            SafeHttp.Opened o = http.open(req, st.policy(), null);
            if (o.status() < 200 || o.status() > 299) {
                HttpWire.Response full;
                try {
                    full = o.readFully();
                } finally {
                    o.close();
                }
                ObjectNode pe = Json.object();
                pe.set("payload", PluginErrors.payloadForStatus(full));
                out.put("status", "error").put("plugin_error", pe.toString()).put("error_code", ProviderErrors.STRUCTURED);
            } else {
                out.put("status", "ok").put("stream_id", st.addStream(o));
            }
        } catch (SafeHttp.NetworkFailure e) {
            out.put("status", "error").put("plugin_error", PluginErrors.transportPluginError(e.transportKind(), e.getMessage()))
                    .put("error_code", ProviderErrors.STRUCTURED);
        }
        return ctx.write(Json.bytes(out));
    }

    private static long streamId(CallContext ctx, long h, String fn) {
        String s = ctx.readString(h).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "Failed to deserialize stream_id in " + fn + ": " + s);
        }
    }

    long streamNext(CallContext ctx, long h) {
        CallState st = state(ctx);
        long id = streamId(ctx, h, "next");
        if (id == 0) return 0;
        SafeHttp.Opened o = st.stream(id);
        if (o == null) throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "Stream " + id + " not found");
        if (st.cancelled()) {
            st.closeStream(id);
            return 0;
        }
        byte[] chunk;
        try {
            chunk = o.next();
        } catch (SafeHttp.NetworkFailure e) {
            st.closeStream(id);
            throw new ProviderException(ProviderErrorKind.NETWORK, "Stream error: " + e.getMessage(), e);
        }
        return chunk == null ? 0 : ctx.write(chunk);
    }

    void streamClose(CallContext ctx, long h) {
        long id = streamId(ctx, h, "close");
        if (id != 0) state(ctx).closeStream(id);
    }

    void yieldChunk(CallContext ctx, long h) {
        byte[] bytes = ctx.read(h);
        JsonNode n;
        try {
            n = Json.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "Failed to deserialize chunk: " + e.getMessage());
        }
        JsonNode chunk = n != null && n.isObject() && n.has("chunk") ? n.get("chunk") : n;
        state(ctx).yieldChunk(chunk);
    }

    void log(CallContext ctx, long h) {
        byte[] bytes = ctx.read(h);
        JsonNode n;
        try {
            n = Json.parse(bytes);
        } catch (IllegalArgumentException e) {
            guestLog.warn("[extism:{}] malformed qmt_log payload: {}", pluginName, new String(bytes, StandardCharsets.UTF_8));
            return;
        }
        int level = n.path("level").asInt(5);
        String msg = n.path("message").isString() ? n.get("message").stringValue() : n.toString();
        switch (level) {
            case 1 -> guestLog.error("[extism:{}] {}", pluginName, msg);
            case 2 -> guestLog.warn("[extism:{}] {}", pluginName, msg);
            case 3 -> guestLog.info("[extism:{}] {}", pluginName, msg);
            case 4 -> guestLog.debug("[extism:{}] {}", pluginName, msg);
            default -> guestLog.trace("[extism:{}] {}", pluginName, msg);
        }
    }
}
