package dev.qmt4j.sigstore.trust.tuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.qmt4j.http.HttpTimeouts;
import dev.qmt4j.http.NetworkSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A TUF mirror whose body stops mid-way must not hang the trust-root update: the fetch ends with the shared idle
 * timeout (a JDK {@link HttpServer} injects the stall; a real mirror does not stall on demand).
 */
class HttpTufFetcherTimeoutTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/stall.json", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"signed\":".getBytes(StandardCharsets.UTF_8));
                out.flush();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.createContext("/ok.json", exchange -> {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Test
    void aStalledBodyEndsWithTheIdleTimeout() throws Exception {
        HttpTufFetcher fetcher = new HttpTufFetcher(serve(), Duration.ofSeconds(3), NetworkSettings.jdkDefaults());
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), fetcher.fetch("ok.json", 1024).orElseThrow());
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IOException.class, () -> fetcher.fetch("stall.json", 1024)));
        assertTrue(e instanceof HttpTimeouts.IdleTimeout, e.toString());
    }
}
