package dev.qmt4j.provider.wasm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class HttpWireTest {
    // What querymt's http_wire.rs + http-serde-ext produce for
    // Request::builder().method("POST").uri("https://example.invalid/v1/chat/completions")
    //   .header(AUTHORIZATION, "Bearer sk").header(CONTENT_TYPE, "application/json").body(b"{}")
    static final String RUST_REQUEST = "{\"req\":{\"head\":{\"method\":\"POST\",\"uri\":\"https://example.invalid/v1/chat/completions\","
            + "\"headers\":{\"authorization\":\"Bearer sk\",\"content-type\":\"application/json\"},\"version\":\"HTTP/1.1\"},\"body\":[123,125]}}";

    @Test
    void decodesRequestAsRustWritesIt() {
        HttpWire.Request r = HttpWire.readRequest(Json.parse(RUST_REQUEST.getBytes(StandardCharsets.UTF_8)).get("req"));
        assertEquals("POST", r.method());
        assertEquals("https://example.invalid/v1/chat/completions", r.uri());
        assertEquals("Bearer sk", r.headers().first("Authorization"));
        assertEquals("HTTP/1.1", r.version());
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), r.body());
    }

    @Test
    void encodesRequestByteForByte() {
        HttpWire.Headers h = new HttpWire.Headers().add("Authorization", "Bearer sk").add("content-type", "application/json");
        HttpWire.Request r = new HttpWire.Request("POST", "https://example.invalid/v1/chat/completions", h, "HTTP/1.1",
                "{}".getBytes(StandardCharsets.UTF_8));
        String out = new String(Json.write(g -> {
            g.writeStartObject();
            g.writeName("req");
            HttpWire.writeRequest(g, r);
            g.writeEndObject();
        }), StandardCharsets.UTF_8);
        assertEquals(RUST_REQUEST, out);
    }

    @Test
    void encodesResponseWithMultiValueHeaders() {
        HttpWire.Headers h = new HttpWire.Headers().add("Content-Type", "text/plain").add("set-cookie", "a=1").add("Set-Cookie", "b=2");
        HttpWire.Response r = new HttpWire.Response(403, h, "HTTP/2.0", new byte[] {72, 105, (byte) 255});
        String out = new String(Json.write(g -> HttpWire.writeResponse(g, r)), StandardCharsets.UTF_8);
        assertEquals("{\"head\":{\"status\":403,\"headers\":{\"content-type\":\"text/plain\",\"set-cookie\":[\"a=1\",\"b=2\"]},"
                + "\"version\":\"HTTP/2.0\"},\"body\":[72,105,255]}", out);
        HttpWire.Response back = HttpWire.readResponse(Json.parse(out.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a=1", "b=2"), back.headers().asMap().get("set-cookie"));
        assertArrayEquals(r.body(), back.body());
        assertEquals(403, back.status());
    }

    @Test
    void emptyHeadersAndBody() {
        String out = new String(Json.write(g -> HttpWire.writeResponse(g, HttpWire.Response.text(499, "cancelled"))), StandardCharsets.UTF_8);
        assertEquals("{\"head\":{\"status\":499,\"headers\":{},\"version\":\"HTTP/1.1\"},\"body\":[99,97,110,99,101,108,108,101,100]}", out);
    }

    @Test
    void rejectsMalformed() {
        assertThrows(IllegalArgumentException.class, () -> HttpWire.readRequest(Json.parse("{\"body\":[]}".getBytes())));
        assertThrows(IllegalArgumentException.class, () -> HttpWire.readRequest(Json.parse(
                "{\"head\":{\"method\":\"GET\",\"uri\":\"http://x/\",\"headers\":{},\"version\":\"HTTP/1.1\"},\"body\":[256]}".getBytes())));
        assertThrows(IllegalArgumentException.class, () -> HttpWire.readRequest(Json.parse(
                "{\"head\":{\"method\":\"GET\",\"uri\":\"http://x/\",\"headers\":{\"a\":1},\"version\":\"HTTP/1.1\"},\"body\":[]}".getBytes())));
        assertThrows(IllegalArgumentException.class, () -> HttpWire.readResponse(Json.parse("{\"head\":{\"headers\":{}},\"body\":[]}".getBytes())));
    }

    @Test
    void headerValueSafety() {
        assertEquals(true, HttpWire.isWireSafeValue("Bearer abc\t1"));
        assertEquals(false, HttpWire.isWireSafeValue("caf\u00e9"));
        assertEquals(false, HttpWire.isWireSafeValue("a\nb"));
    }

    @Property(tries = 200)
    void bodyRoundTrips(@ForAll byte[] body) {
        HttpWire.Response r = new HttpWire.Response(200, new HttpWire.Headers().add("x", "y"), "HTTP/1.1", body);
        HttpWire.Response back = HttpWire.readResponse(Json.parse(Json.write(g -> HttpWire.writeResponse(g, r))));
        assertArrayEquals(body, back.body());
    }
}
