package dev.qmt4j.oci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Scheme choice, proxy selection from the environment, and Retry-After parsing. */
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
    void proxyFromEnvironmentHonoursNoProxy() {
        EnvironmentProxySelector s = new EnvironmentProxySelector(Map.of("HTTPS_PROXY", "http://proxy.corp:3128",
                "no_proxy", "internal.corp, .lan,10.0.0.5,special.io:8443"));
        assertEquals(Proxy.Type.HTTP, s.select(URI.create("https://ghcr.io/v2/")).get(0).type());
        assertEquals("proxy.corp:3128", s.select(URI.create("https://ghcr.io/v2/")).get(0).address().toString()
                .replace("/<unresolved>", ""));
        assertEquals(List.of(Proxy.NO_PROXY), s.select(URI.create("https://internal.corp/v2/")));
        assertEquals(List.of(Proxy.NO_PROXY), s.select(URI.create("https://reg.internal.corp/v2/")));
        assertEquals(List.of(Proxy.NO_PROXY), s.select(URI.create("https://x.lan/v2/")));
        assertEquals(List.of(Proxy.NO_PROXY), s.select(URI.create("https://10.0.0.5/v2/")));
        assertEquals(List.of(Proxy.NO_PROXY), s.select(URI.create("https://special.io:8443/v2/")));
        assertEquals(Proxy.Type.HTTP, s.select(URI.create("https://special.io/v2/")).get(0).type());
        assertEquals(List.of(Proxy.NO_PROXY), s.select(URI.create("https://127.0.0.1:5000/v2/")), "loopback never proxied");
        assertEquals(List.of(Proxy.NO_PROXY), s.select(URI.create("http://ghcr.io/v2/")), "no HTTP_PROXY set");
        assertTrue(s.configured());
        assertFalse(new EnvironmentProxySelector(Map.of()).configured());
        assertEquals(List.of(Proxy.NO_PROXY), new EnvironmentProxySelector(Map.of("HTTPS_PROXY", "p:1", "NO_PROXY", "*"))
                .select(URI.create("https://ghcr.io/")));
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
