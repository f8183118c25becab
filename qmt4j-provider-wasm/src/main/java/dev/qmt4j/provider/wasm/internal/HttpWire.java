package dev.qmt4j.provider.wasm.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * QueryMT's HTTP wire types: {@code http::Request<Vec<u8>>} / {@code http::Response<Vec<u8>>}
 * serialised with http-serde-ext inside {@code {"req": ...}} / {@code {"resp": ...}}.
 *
 * <pre>
 * request:  {"head":{"method":"POST","uri":"https://h/p","headers":{"name":"v","multi":["a","b"]},"version":"HTTP/1.1"},"body":[123,34,...]}
 * response: {"head":{"status":200,"headers":{...},"version":"HTTP/1.1"},"body":[...]}
 * </pre>
 *
 * Header names are lower-case (as {@code http::HeaderName} prints them); a header with one value
 * is a string, with several an array of strings, in insertion order; the body is an array of byte
 * numbers 0..255; versions are {@code HTTP/0.9}, {@code HTTP/1.0}, {@code HTTP/1.1},
 * {@code HTTP/2.0}, {@code HTTP/3.0}. Reading is lenient (unknown fields ignored, missing version
 * = HTTP/1.1, missing headers = none, a string body taken as UTF-8); writing is exact.
 */
public final class HttpWire {
    private HttpWire() {}

    /** Ordered header multimap with lower-case names. */
    public static final class Headers {
        private final LinkedHashMap<String, List<String>> map = new LinkedHashMap<>();

        public Headers add(String name, String value) {
            map.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
            return this;
        }

        public Headers set(String name, String value) {
            List<String> l = new ArrayList<>();
            l.add(value);
            map.put(name.toLowerCase(Locale.ROOT), l);
            return this;
        }

        public Headers remove(String name) {
            map.remove(name.toLowerCase(Locale.ROOT));
            return this;
        }

        public String first(String name) {
            List<String> l = map.get(name.toLowerCase(Locale.ROOT));
            return l == null || l.isEmpty() ? null : l.get(0);
        }

        public Map<String, List<String>> asMap() {
            return map;
        }

        public Headers copy() {
            Headers h = new Headers();
            map.forEach((k, v) -> h.map.put(k, new ArrayList<>(v)));
            return h;
        }

        @Override
        public String toString() {
            return map.keySet().toString();
        }
    }

    /** A request as a guest builds it. */
    public record Request(String method, String uri, Headers headers, String version, byte[] body) {}

    /** A response as the host hands it to a guest. */
    public record Response(int status, Headers headers, String version, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A response with only a status and a text body (used for synthetic responses). */
        public static Response text(int status, String text) {
            return new Response(status, new Headers(), "HTTP/1.1", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Reads a request object ({@code {"head":..,"body":..}}, not the {@code req} wrapper). */
    public static Request readRequest(JsonNode node) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException("HTTP request must be an object with head and body");
        JsonNode head = node.get("head");
        if (head == null || !head.isObject()) throw new IllegalArgumentException("HTTP request: missing head");
        String method = text(head, "method", "GET").toUpperCase(Locale.ROOT);
        String uri = text(head, "uri", null);
        if (uri == null) throw new IllegalArgumentException("HTTP request: missing head.uri");
        return new Request(method, uri, readHeaders(head.get("headers")), text(head, "version", "HTTP/1.1"), readBody(node.get("body")));
    }

    /** Reads a response object (not the {@code resp} wrapper). */
    public static Response readResponse(JsonNode node) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException("HTTP response must be an object with head and body");
        JsonNode head = node.get("head");
        if (head == null || !head.isObject()) throw new IllegalArgumentException("HTTP response: missing head");
        JsonNode st = head.get("status");
        if (st == null || !st.isIntegralNumber()) throw new IllegalArgumentException("HTTP response: missing head.status");
        return new Response(st.asInt(), readHeaders(head.get("headers")), text(head, "version", "HTTP/1.1"), readBody(node.get("body")));
    }

    private static String text(JsonNode o, String field, String dflt) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isString()) throw new IllegalArgumentException("HTTP head." + field + " must be a string");
        return v.stringValue();
    }

    static Headers readHeaders(JsonNode h) {
        Headers out = new Headers();
        if (h == null || h.isNull()) return out;
        if (!h.isObject()) throw new IllegalArgumentException("HTTP headers must be an object");
        for (Map.Entry<String, JsonNode> e : h.properties()) {
            JsonNode v = e.getValue();
            if (v.isString()) {
                out.add(e.getKey(), v.stringValue());
            } else if (v.isArray()) {
                for (JsonNode x : v) {
                    if (!x.isString()) throw new IllegalArgumentException("header " + e.getKey() + ": values must be strings");
                    out.add(e.getKey(), x.stringValue());
                }
            } else {
                throw new IllegalArgumentException("header " + e.getKey() + ": value must be a string or an array of strings");
            }
        }
        return out;
    }

    static byte[] readBody(JsonNode b) {
        if (b == null || b.isNull()) return new byte[0];
        if (b.isString()) return b.stringValue().getBytes(StandardCharsets.UTF_8);
        if (!b.isArray()) throw new IllegalArgumentException("HTTP body must be an array of bytes");
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = b.get(i);
            if (!x.isIntegralNumber()) throw new IllegalArgumentException("HTTP body: element " + i + " is not a byte");
            int v = x.asInt();
            if (v < 0 || v > 255) throw new IllegalArgumentException("HTTP body: element " + i + " out of range: " + v);
            out[i] = (byte) v;
        }
        return out;
    }

    /** Writes a request object (without wrapper) to {@code g}. */
    public static void writeRequest(JsonGenerator g, Request r) {
        writeMessage(g, () -> {
            g.writeStringProperty("method", r.method());
            g.writeStringProperty("uri", r.uri());
        }, r.headers(), r.version(), r.body());
    }

    /** Writes a response object (without wrapper) to {@code g}. */
    public static void writeResponse(JsonGenerator g, Response r) {
        writeMessage(g, () -> g.writeNumberProperty("status", r.status()), r.headers(), r.version(), r.body());
    }

    /**
     * The shape requests and responses share: {"head": {start-line fields, "headers", "version"}, "body"};
     * {@code startLine} writes the leading head fields (method and uri, or status).
     */
    private static void writeMessage(JsonGenerator g, Runnable startLine, Headers headers, String version, byte[] body) {
        g.writeStartObject();
        g.writeName("head");
        g.writeStartObject();
        startLine.run();
        g.writeName("headers");
        writeHeaders(g, headers);
        g.writeStringProperty("version", version);
        g.writeEndObject();
        g.writeName("body");
        writeBody(g, body);
        g.writeEndObject();
    }

    static void writeHeaders(JsonGenerator g, Headers h) {
        g.writeStartObject();
        for (Map.Entry<String, List<String>> e : h.asMap().entrySet()) {
            List<String> vs = e.getValue();
            if (vs.isEmpty()) continue;
            g.writeName(e.getKey());
            if (vs.size() == 1) {
                g.writeString(vs.get(0));
            } else {
                g.writeStartArray();
                for (String v : vs) g.writeString(v);
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }

    static void writeBody(JsonGenerator g, byte[] body) {
        g.writeStartArray();
        for (byte b : body) g.writeNumber(b & 0xff);
        g.writeEndArray();
    }

    /** Whether a header value can cross the wire ({@code HeaderValue::to_str}: visible ASCII, space, tab). */
    public static boolean isWireSafeValue(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) return false;
        }
        return true;
    }

    /** Maps a {@link java.net.http.HttpClient.Version} to the wire string. */
    public static String version(java.net.http.HttpClient.Version v) {
        return v == java.net.http.HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1";
    }
}
