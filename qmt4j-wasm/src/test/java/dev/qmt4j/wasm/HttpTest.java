package dev.qmt4j.wasm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.qmt4j.ErrorKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code http_request} against a JDK HttpServer on 127.0.0.1 (conformance item 7, qmt4j-wasm/README.md). */
class HttpTest {
    static HttpServer server;
    static String base;
    static final AtomicInteger evilHits = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", x -> {
            byte[] body = ("hello " + x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("X-Test")).getBytes(UTF_8);
            x.getResponseHeaders().add("X-Reply", "yes");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/missing", x -> {
            byte[] body = "nope".getBytes(UTF_8);
            x.sendResponseHeaders(404, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/big", x -> {
            x.sendResponseHeaders(200, 5000);
            x.getResponseBody().write(new byte[5000]);
            x.close();
        });
        server.createContext("/redirect-local", x -> {
            x.getResponseHeaders().add("Location", "/hello");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.createContext("/redirect-away", x -> {
            // localhost resolves to this same server, but it is not on the allowlist
            x.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort() + "/evil");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.createContext("/evil", x -> {
            evilHits.incrementAndGet();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static ExtismPlugin plugin(String... hosts) {
        WasmManifest.Builder m = WasmManifest.builder().module(Wat.resource("kernel")).maxHttpResponseBytes(4096)
                .httpResponseHeaders(true);
        for (String h : hosts) {
            m.allowedHost(h);
        }
        return ExtismPlugin.builder(m.build()).build();
    }

    static byte[] req(String path) {
        return ("{\"url\":\"" + base + path + "\",\"method\":\"post\",\"headers\":{\"X-Test\":\"t1\"}}").getBytes(UTF_8);
    }

    @Test
    void anAllowedHostIsReachedWithMethodAndHeaders() {
        try (ExtismPlugin p = plugin("127.0.0.1")) {
            assertEquals("hello POST t1", new String(p.call("http", req("/hello")), UTF_8));
        }
    }

    @Test
    void globsMatchTheHost() {
        try (ExtismPlugin p = plugin("127.0.0.*")) {
            assertEquals("hello GET null", new String(p.call("http",
                    ("{\"url\":\"" + base + "/hello\",\"method\":null}").getBytes(UTF_8)), UTF_8));
        }
    }

    @Test
    void nonSuccessStatusIsNotAnErrorAndIsReported() {
        try (ExtismPlugin p = plugin("127.0.0.1")) {
            long[] r = KernelTest.u64s(p.call("http_status", req("/missing")));
            assertEquals(404, r[0]);
            assertEquals(4, r[1]);
        }
    }

    @Test
    void responseHeadersAreAvailableWhenEnabled() {
        try (ExtismPlugin p = plugin("127.0.0.1")) {
            String json = new String(p.call("http_headers", req("/hello")), UTF_8);
            assertTrue(json.contains("\"x-reply\":\"yes\""), json);
        }
    }

    @Test
    void noAllowedHostsMeansNoNetwork() {
        try (ExtismPlugin p = plugin()) {
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> p.call("http", req("/hello")));
            assertEquals(ErrorKind.SANDBOX, e.kind());
            assertEquals(PluginSandboxException.Reason.HOST, e.reason());
            assertEquals("HTTP request to " + base + "/hello is not allowed", e.getMessage());
        }
    }

    @Test
    void aHostNotOnTheListIsDenied() {
        try (ExtismPlugin p = plugin("example.com", "*.example.org")) {
            assertThrows(PluginSandboxException.class, () -> p.call("http", req("/hello")));
        }
    }

    @Test
    void redirectsAreFollowedOnlyToAllowedHosts() {
        try (ExtismPlugin p = plugin("127.0.0.1")) {
            assertEquals("hello GET t1", new String(p.call("http", req("/redirect-local")), UTF_8));
            int before = evilHits.get();
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> p.call("http", req("/redirect-away")));
            assertTrue(e.getMessage().contains("redirected to http://localhost:"), e.getMessage());
            assertEquals(before, evilHits.get(), "the denied redirect target was never contacted");
        }
    }

    @Test
    void responsesAreCappedAtMaxHttpResponseBytes() {
        try (ExtismPlugin p = plugin("127.0.0.1")) {
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> p.call("http", req("/big")));
            assertEquals("HTTP response exceeds the configured maximum number of bytes: 4096", e.getMessage());
        }
    }

    @Test
    void badRequestJsonFailsTheCall() {
        try (ExtismPlugin p = plugin("127.0.0.1")) {
            PluginCallException e = assertThrows(PluginCallException.class, () -> p.call("http", "{not json".getBytes(UTF_8)));
            assertTrue(e.getMessage().contains("invalid http request JSON"), e.getMessage());
        }
    }

    @Test
    void theConnectCheckSeesEveryHopAndCanRefuseOne() {
        List<URI> seen = new CopyOnWriteArrayList<>();
        WasmManifest m = WasmManifest.builder().module(Wat.resource("kernel")).allowedHost("127.0.0.1").connectCheck(seen::add).build();
        try (ExtismPlugin p = ExtismPlugin.builder(m.toBuilder().build()).build()) {
            assertEquals("hello GET t1", new String(p.call("http", req("/redirect-local")), UTF_8));
            assertEquals(List.of(URI.create(base + "/redirect-local"), URI.create(base + "/hello")), seen);
        }
        WasmManifest refusing = WasmManifest.builder().module(Wat.resource("kernel")).allowedHost("127.0.0.1").allowedHost("localhost")
                .connectCheck(u -> {
                    if (u.getHost().equals("localhost")) {
                        throw new PluginSandboxException(PluginSandboxException.Reason.HOST, "refused " + u.getHost(), "hint");
                    }
                }).build();
        int before = evilHits.get();
        try (ExtismPlugin p = ExtismPlugin.builder(refusing).build()) {
            PluginSandboxException e = assertThrows(PluginSandboxException.class, () -> p.call("http", req("/redirect-away")));
            assertEquals("refused localhost", e.getMessage());
        }
        assertEquals(before, evilHits.get(), "the refused hop was never contacted");
    }

    /** Credential headers a plugin sends must not follow a redirect to another origin (scheme, host, port). */
    @Test
    void credentialHeadersAreDroppedWhenARedirectLeavesTheOrigin() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HttpServer first = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> seenByOther = new CopyOnWriteArrayList<>();
        List<String> seenByFirst = new CopyOnWriteArrayList<>();
        other.createContext("/landing", x -> {
            seenByOther.add(headers(x));
            byte[] body = "landed".getBytes(UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        first.createContext("/away", x -> {
            seenByFirst.add(headers(x));
            x.getResponseHeaders().add("Location", "http://127.0.0.1:" + other.getAddress().getPort() + "/landing");
            x.sendResponseHeaders(307, -1);
            x.close();
        });
        first.createContext("/here", x -> {
            seenByFirst.add(headers(x));
            x.getResponseHeaders().add("Location", "/landing");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        first.createContext("/landing", x -> {
            seenByFirst.add(headers(x));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        other.start();
        first.start();
        String credentials = "\"headers\":{\"Authorization\":\"Bearer s3cret\",\"Cookie\":\"session=abc\","
                + "\"Proxy-Authorization\":\"Basic cHJveHk=\",\"X-Api-Key\":\"k3y\",\"X-Test\":\"t1\"}";
        String firstBase = "http://127.0.0.1:" + first.getAddress().getPort();
        try (ExtismPlugin p = plugin("127.0.0.1")) {
            assertEquals("landed", new String(p.call("http",
                    ("{\"url\":\"" + firstBase + "/away\"," + credentials + "}").getBytes(UTF_8)), UTF_8));
            // The JDK client never sends Proxy-Authorization to an origin server itself.
            String all = "authorization=Bearer s3cret cookie=session=abc proxy-authorization=null x-api-key=k3y x-test=t1";
            assertEquals(List.of(all), seenByFirst, "the origin the plugin named gets every header");
            assertEquals(List.of("authorization=null cookie=null proxy-authorization=null x-api-key=null x-test=t1"), seenByOther,
                    "another origin gets no credentials");
            // Same origin: the credentials stay.
            seenByFirst.clear();
            p.call("http", ("{\"url\":\"" + firstBase + "/here\"," + credentials + "}").getBytes(UTF_8));
            assertEquals(List.of(all, all), seenByFirst);
        } finally {
            first.stop(0);
            other.stop(0);
        }
    }

    private static String headers(com.sun.net.httpserver.HttpExchange x) {
        var h = x.getRequestHeaders();
        return "authorization=" + h.getFirst("Authorization") + " cookie=" + h.getFirst("Cookie")
                + " proxy-authorization=" + h.getFirst("Proxy-Authorization") + " x-api-key=" + h.getFirst("X-Api-Key")
                + " x-test=" + h.getFirst("X-Test");
    }
}
