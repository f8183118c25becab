package dev.qmt4j.oci.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.http.HttpAccess;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A token service that misbehaves in ways a real one does not: a body that never ends, and one far larger than
 * any token. The realm comes from the registry's challenge and may name any host, so both must end in a clear
 * error within the timeout, never a hang or an unbounded read. A JDK {@link HttpServer} injects the faults.
 */
class HostileTokenServiceTest {
    private static final String REGISTRY = "registry.example:5000";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(byte[] head, boolean stallAfterHead, long declaredLength) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, declaredLength);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(head);
                out.flush();
                if (stallAfterHead) {
                    release.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    private static String authorize(String realm) {
        Authenticator auth = new Authenticator(HttpAccess.wrap(HttpClient.newHttpClient()), CredentialStore.of(Map.of()),
                TIMEOUT, "qmt4j-test");
        return auth.authorize(REGISTRY, List.of(new Challenge("Bearer", Map.of("realm", realm, "service", "test"))),
                List.of("repository:team/plugin:pull"));
    }

    @Test
    void aBodyThatStallsEndsWithinTheTimeout() throws Exception {
        String realm = serve("{\"token\":".getBytes(StandardCharsets.UTF_8), true, 0);
        Qmt4jException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(Qmt4jException.class, () -> authorize(realm)));
        assertEquals(ErrorKind.NETWORK, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("cannot reach the token service") && e.getMessage().contains("no body bytes for 3000 ms"),
                e.getMessage());
    }

    @Test
    void aBodyLargerThanAnyTokenIsRefused() throws Exception {
        // Valid JSON with a token, padded past the cap: read whole, it would be accepted.
        byte[] padding = " ".repeat(Authenticator.MAX_TOKEN_RESPONSE_BYTES).getBytes(StandardCharsets.US_ASCII);
        byte[] token = "{\"token\":\"t0k3n\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[padding.length + token.length];
        System.arraycopy(padding, 0, body, 0, padding.length);
        System.arraycopy(token, 0, body, padding.length, token.length);
        String realm = serve(body, false, body.length);
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> authorize(realm));
        assertEquals(ErrorKind.AUTH, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("more than " + Authenticator.MAX_TOKEN_RESPONSE_BYTES + " bytes"), e.getMessage());
    }

    @Test
    void aNormalTokenStillWorks() throws Exception {
        byte[] token = "{\"token\":\"t0k3n\",\"expires_in\":300}".getBytes(StandardCharsets.UTF_8);
        assertEquals("Bearer t0k3n", authorize(serve(token, false, token.length)));
    }
}
