package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.PluginType;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.qmt4j.http.CaCertificates;
import dev.qmt4j.http.NetworkSettings;
import dev.qmt4j.testkit.TestCertificates;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that stops answering (at the TLS handshake, before the headers, in the body) costs a bounded wait, not ten minutes. */
class UrlDownloaderTimeoutTest {

    @Test
    void aServerThatNeverAnswersIsANetworkErrorNamingTheUrlAndLeavesNoFile(@TempDir Path cache) throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // kept open, never read or written
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();

            URI uri = URI.create("https://127.0.0.1:" + silent.getLocalPort() + "/plugin.wasm");
            UrlDownloader downloader = new UrlDownloader(cache, NetworkSettings::jdkDefaults, Duration.ofSeconds(5),
                    Duration.ofMillis(300), Duration.ofMillis(300));

            Qmt4jException e = assertThrows(Qmt4jException.class,
                    () -> downloader.fetch(new PluginSource.Url(uri, Optional.empty(), false, PluginType.WASM), false));

            assertEquals(ErrorKind.NETWORK, e.kind());
            assertTrue(e.getMessage().contains(uri.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("no response headers within 300 ms"), e.getMessage());
            assertTrue(e.hint() != null && e.hint().contains("retry"), String.valueOf(e.hint()));
            try (Stream<Path> left = Files.walk(cache)) {
                assertTrue(left.noneMatch(Files::isRegularFile), "no partial file in the cache");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void noResponseHeadersIsANetworkErrorNamingTheUrlAndLeavesNoFile(@TempDir Path cache) throws Exception {
        Qmt4jException e = againstStallingServer(cache, false);
        assertEquals(ErrorKind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("/plugin.wasm: no response headers within 300 ms"), e.getMessage());
        assertNoFile(cache);
    }

    @Test
    void aBodyThatGoesSilentIsAbandonedWithANetworkErrorAndLeavesNoFile(@TempDir Path cache) throws Exception {
        Qmt4jException e = againstStallingServer(cache, true);
        assertEquals(ErrorKind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("/plugin.wasm stalled: no body bytes for 300 ms"), e.getMessage());
        assertNoFile(cache);
    }

    /** An HTTPS server (trusted test CA) that sends nothing, or headers and 10 of 1000 body bytes, then waits. */
    private static Qmt4jException againstStallingServer(Path cache, boolean sendHeaders) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newCachedThreadPool();
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.shared().serverContext()));
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            try (ex) {
                if (sendHeaders) {
                    ex.sendResponseHeaders(200, 1000);
                    OutputStream body = ex.getResponseBody();
                    body.write(new byte[10]);
                    body.flush();
                }
                release.await();
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        try {
            URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/plugin.wasm");
            NetworkSettings trusted = new NetworkSettings(
                    CaCertificates.load(List.of(TestCertificates.shared().caCertificate())), Optional.empty());
            // A silent body is tested with room for the first TLS handshake (slow on a cold JVM).
            UrlDownloader downloader = new UrlDownloader(cache, () -> trusted, Duration.ofSeconds(5),
                    sendHeaders ? Duration.ofSeconds(30) : Duration.ofMillis(300), Duration.ofMillis(300));
            return assertThrows(Qmt4jException.class,
                    () -> downloader.fetch(new PluginSource.Url(uri, Optional.empty(), false, PluginType.WASM), false));
        } finally {
            release.countDown();
            server.stop(0);
            pool.shutdownNow();
        }
    }

    private static void assertNoFile(Path cache) throws Exception {
        try (Stream<Path> left = Files.walk(cache)) {
            assertTrue(left.noneMatch(Files::isRegularFile), "no partial file in the cache");
        }
    }
}
