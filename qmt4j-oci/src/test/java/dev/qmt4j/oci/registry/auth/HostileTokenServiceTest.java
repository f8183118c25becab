package dev.qmt4j.oci.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.http.HttpAccess;
import dev.qmt4j.testkit.Fault;
import dev.qmt4j.testkit.FaultProxy;
import dev.qmt4j.testkit.TokenServer;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A token service that misbehaves in ways a real one does not: a body that stops coming, and one far larger than
 * any token. The realm comes from the registry's challenge and may name any host, so both must end in a clear
 * error within the timeout, never a hang or an unbounded read. A real {@link TokenServer} answers; a
 * {@link FaultProxy} in front of it injects the faults.
 */
class HostileTokenServiceTest {
    private static final String REGISTRY = "registry.example:5000";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private TokenServer tokens;
    private FaultProxy proxy;

    @BeforeEach
    void start() {
        tokens = new TokenServer("alice", "s3cret", true);
        proxy = FaultProxy.to(tokens.realm().replaceAll("^http://([^/]+)/.*$", "$1"));
    }

    @AfterEach
    void stop() {
        proxy.close();
        tokens.close();
    }

    private String authorize() {
        Authenticator auth = new Authenticator(HttpAccess.wrap(HttpClient.newHttpClient()), CredentialStore.of(Map.of()),
                TIMEOUT, "qmt4j-test");
        String realm = proxy.url() + "/token";
        return auth.authorize(REGISTRY, List.of(new Challenge("Bearer", Map.of("realm", realm, "service", TokenServer.SERVICE))),
                List.of("repository:team/plugin:pull"));
    }

    @Test
    void theRealTokenServiceThroughTheProxyWorks() {
        assertTrue(authorize().startsWith("Bearer "));
    }

    @Test
    void aBodyThatStallsEndsWithinTheTimeout() {
        proxy.inject(FaultProxy.path("/token"), new Fault.Stall(5, 60_000), -1);
        Qmt4jException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(Qmt4jException.class, this::authorize));
        assertEquals(ErrorKind.NETWORK, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("cannot reach the token service") && e.getMessage().contains("no body bytes for 3000 ms"),
                e.getMessage());
    }

    @Test
    void aBodyLargerThanAnyTokenIsRefused() {
        // Valid JSON with a token, padded past the cap: read whole, it would be accepted.
        String padded = " ".repeat(Authenticator.MAX_TOKEN_RESPONSE_BYTES) + "{\"token\":\"t0k3n\"}";
        proxy.inject(FaultProxy.path("/token"), new Fault.ReplaceBody(padded.getBytes(StandardCharsets.US_ASCII), "application/json"), -1);
        Qmt4jException e = assertThrows(Qmt4jException.class, this::authorize);
        assertEquals(ErrorKind.AUTH, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("more than " + Authenticator.MAX_TOKEN_RESPONSE_BYTES + " bytes"), e.getMessage());
    }
}
