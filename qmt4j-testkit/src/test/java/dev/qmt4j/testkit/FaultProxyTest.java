package dev.qmt4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
    private static final byte[] BODY = "0123456789abcdefghij".getBytes();
    private HttpServer upstream;
    private FaultProxy proxy;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        upstream.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String range = ex.getRequestHeaders().getFirst("Range");
            ex.getResponseHeaders().set("X-Range-Seen", range == null ? "(none)" : range);
            ex.sendResponseHeaders(200, BODY.length);
            ex.getResponseBody().write(BODY);
            ex.close();
        });
        upstream.start();
        proxy = FaultProxy.to("127.0.0.1:" + upstream.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.stop(0);
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(proxy.url() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void passesThroughAndCounts() throws Exception {
        assertArrayEquals(BODY, get("/v2/x/blobs/1").body());
        get("/v2/x/manifests/1");
        assertEquals(1, proxy.requestCount(FaultProxy.path("/blobs/")));
        assertEquals(2, proxy.requests().size());
    }

    @Test
    void statusFaultAppliesTheGivenNumberOfTimes() throws Exception {
        proxy.inject(FaultProxy.path("/blobs/"), Fault.tooManyRequests(0), 2);
        assertEquals(429, get("/v2/x/blobs/1").statusCode());
        assertEquals("0", get("/v2/x/blobs/1").headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, get("/v2/x/blobs/1").statusCode());
        assertEquals(200, get("/v2/x/manifests/1").statusCode());
    }

    @Test
    void bodyFaults() throws Exception {
        proxy.inject(FaultProxy.path("/flip"), Fault.flipByte(3), -1);
        proxy.inject(FaultProxy.path("/short"), Fault.truncateAfter(5), -1);
        proxy.inject(FaultProxy.path("/reset"), Fault.resetAfter(5), -1);
        byte[] flipped = get("/flip").body();
        assertEquals((byte) ~BODY[3], flipped[3]);
        assertThrows(IOException.class, () -> get("/short"));
        assertThrows(IOException.class, () -> get("/reset"));
    }

    @Test
    void recordsRequestHeadersAndBodyBytesSent() throws Exception {
        proxy.inject(FaultProxy.path("/short"), Fault.truncateAfter(5), -1);
        http.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/full")).header("Range", "bytes=3-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThrows(IOException.class, () -> get("/short"));
        List<FaultProxy.Exchange> exchanges = proxy.exchanges();
        assertEquals(2, exchanges.size());
        assertEquals("bytes=3-", exchanges.get(0).request().header("range").orElseThrow());
        assertEquals(200, exchanges.get(0).status());
        assertEquals(BODY.length, exchanges.get(0).bodyBytes());
        assertEquals(5, exchanges.get(1).bodyBytes());
        assertEquals(BODY.length + 5, proxy.bodyBytesSent(r -> true));
        proxy.resetCounts();
        assertEquals(List.of(), proxy.exchanges());
    }

    @Test
    void rangeFaultsRewriteTheForwardedRequest() throws Exception {
        proxy.inject(FaultProxy.path("/drop"), Fault.ignoreRange(), -1);
        proxy.inject(FaultProxy.path("/shift"), Fault.shiftRange(7), -1);
        HttpRequest.Builder ranged = HttpRequest.newBuilder().header("Range", "bytes=3-");
        String dropped = http.send(ranged.copy().uri(URI.create(proxy.url() + "/drop")).build(),
                HttpResponse.BodyHandlers.discarding()).headers().firstValue("X-Range-Seen").orElseThrow();
        String shifted = http.send(ranged.copy().uri(URI.create(proxy.url() + "/shift")).build(),
                HttpResponse.BodyHandlers.discarding()).headers().firstValue("X-Range-Seen").orElseThrow();
        assertEquals("(none)", dropped);
        assertEquals("bytes=10-", shifted);
        assertEquals("bytes=3-", proxy.requests().get(1).header("Range").orElseThrow(), "the client's header is recorded");
    }

    @Test
    void downRefusesConnectionsUntilUp() throws Exception {
        proxy.down();
        assertThrows(IOException.class, () -> get("/v2/"));
        proxy.up();
        assertEquals(200, get("/v2/").statusCode());
    }
}
