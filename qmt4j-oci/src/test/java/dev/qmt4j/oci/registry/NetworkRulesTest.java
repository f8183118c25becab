package dev.qmt4j.oci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Scheme choice, Retry-After parsing and same-origin checks (proxy selection: {@code proxy.EnvironmentProxySelectorTest}). */
class NetworkRulesTest {

    @Test
    void plainHttpOnlyForLoopbackAndInsecureRegistries() {
        assertEquals("http", Hosts.scheme("127.0.0.1:5000", List.of()));
        assertEquals("http", Hosts.scheme("127.1.2.3", List.of()));
        assertEquals("http", Hosts.scheme("localhost:5000", List.of()));
        assertEquals("http", Hosts.scheme("[::1]:5000", List.of()));
        assertEquals("https", Hosts.scheme("ghcr.io", List.of()));
        assertEquals("https", Hosts.scheme("128.0.0.1:5000", List.of()));
        assertEquals("https", Hosts.scheme("127.0.0.1.example.com", List.of()));
        assertEquals("http", Hosts.scheme("registry.lan:5000", List.of("registry.lan:5000")));
        assertEquals("http", Hosts.scheme("registry.lan:5000", List.of("registry.lan")));
        assertEquals("https", Hosts.scheme("registry.lan:5001", List.of("registry.lan:5000")));
    }

    @Test
    void retryAfterAsSecondsOrDate() {
        assertEquals(Optional.of(Duration.ofSeconds(3)), Transport.parseRetryAfter("3"));
        assertEquals(Optional.of(Duration.ZERO), Transport.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(Optional.empty(), Transport.parseRetryAfter("soon"));
        assertEquals(Optional.empty(), Transport.parseRetryAfter("-1"));
    }

    @Test
    void authorizationStaysWithinOneOrigin() {
        assertTrue(Transport.sameOrigin(URI.create("https://a.io/v2/x"), URI.create("https://a.io:443/y")));
        assertFalse(Transport.sameOrigin(URI.create("https://a.io/v2/x"), URI.create("https://b.io/y")));
        assertFalse(Transport.sameOrigin(URI.create("https://a.io/v2/x"), URI.create("http://a.io/y")));
        assertFalse(Transport.sameOrigin(URI.create("http://a.io:5000/v2/x"), URI.create("http://a.io:5001/y")));
    }
}
