package dev.qmt4j.http.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Proxy choice from HTTPS_PROXY/HTTP_PROXY/NO_PROXY, proxy URLs with credentials, and NO_PROXY matching. */
class EnvironmentProxySelectorTest {

    private static boolean proxied(EnvironmentProxySelector s, String uri) {
        return s.select(URI.create(uri)).get(0).type() == Proxy.Type.HTTP;
    }

    @Test
    void proxyFromEnvironmentHonoursNoProxy() {
        EnvironmentProxySelector s = new EnvironmentProxySelector(Map.of("HTTPS_PROXY", "http://proxy.corp:3128",
                "no_proxy", "internal.corp, .lan,10.0.0.5,special.io:8443"));
        assertEquals("proxy.corp:3128", s.select(URI.create("https://ghcr.io/v2/")).get(0).address().toString()
                .replace("/<unresolved>", ""));
        assertFalse(proxied(s, "https://internal.corp/v2/"));
        assertFalse(proxied(s, "https://reg.internal.corp/v2/"));
        assertTrue(proxied(s, "https://notinternal.corp/v2/"), "a suffix must start at a dot");
        assertFalse(proxied(s, "https://x.lan/v2/"));
        assertFalse(proxied(s, "https://lan/v2/"), "as in curl, a leading dot also matches the domain itself");
        assertFalse(proxied(s, "https://10.0.0.5/v2/"));
        assertFalse(proxied(s, "https://special.io:8443/v2/"));
        assertTrue(proxied(s, "https://special.io/v2/"), "the entry names port 8443 only");
        assertFalse(proxied(s, "https://127.0.0.1:5000/v2/"), "loopback never proxied");
        assertFalse(proxied(s, "https://[::1]:5000/v2/"), "loopback never proxied");
        assertFalse(proxied(s, "https://localhost:5000/v2/"), "loopback never proxied");
        assertFalse(proxied(s, "http://ghcr.io/v2/"), "no HTTP_PROXY set");
        assertTrue(s.configured());
        assertFalse(new EnvironmentProxySelector(Map.of()).configured());
        assertEquals(Optional.empty(), EnvironmentProxySelector.fromEnvironment(Map.of("NO_PROXY", "*")));
    }

    @Test
    void noProxyCidrRangesMatchIpLiteralsOnly() {
        NoProxy n = NoProxy.parse("10.0.0.0/8 192.168.1.0/24,fd00::/8, ::1/128, 172.16.0.0/12:5000, [fd12::1]:443");
        assertTrue(n.matches("10.200.3.4", 443));
        assertFalse(n.matches("11.0.0.1", 443));
        assertTrue(n.matches("192.168.1.77", 80));
        assertFalse(n.matches("192.168.2.1", 80));
        assertTrue(n.matches("[fd00::2]", 443));
        assertTrue(n.matches("fdff::1", 443), "fd00::/8 covers fdxx::");
        assertFalse(n.matches("fe80::1", 443));
        assertTrue(n.matches("[::1]", 443));
        assertTrue(n.matches("172.20.1.1", 5000));
        assertFalse(n.matches("172.20.1.1", 443), "the range is for port 5000 only");
        assertTrue(n.matches("[fd12::1]", 443));
        assertFalse(n.matches("10.example.com", 443), "no DNS look-up: a CIDR range never matches a name");
        assertTrue(NoProxy.parse("0.0.0.0/0").matches("203.0.113.9", 443));
        assertTrue(NoProxy.parse("10.1.2.3").matches("10.1.2.3", 1), "a plain address is a /32");
        assertFalse(NoProxy.parse("10.1.2.3").matches("10.1.2.4", 1));
        assertTrue(NoProxy.parse("::ffff:10.1.2.3").matches("10.1.2.3", 1), "an IPv4-mapped address is its IPv4 address");
    }

    @Test
    void noProxyNamesDotsWildcardsAndBadEntries() {
        NoProxy n = NoProxy.parse("Example.COM., *.corp.net, .lan, bad/entry, 10.0.0.0/33, host:notaport");
        assertTrue(n.matches("example.com", 443));
        assertTrue(n.matches("www.example.com.", 443), "trailing dots are ignored, as in curl");
        assertTrue(n.matches("a.corp.net", 443));
        assertTrue(n.matches("corp.net", 443));
        assertTrue(n.matches("lan", 443));
        assertFalse(n.matches("notlan", 443));
        assertFalse(n.matches("10.0.0.1", 443), "the invalid range is ignored, not widened");
        assertTrue(NoProxy.parse("a.io, *").matches("anything.example", 1), "'*' as one entry disables the proxy");
        assertFalse(NoProxy.parse("").matches("example.com", 1));
        assertFalse(NoProxy.none().matches("example.com", 1));
    }

    @Test
    void proxyUrlsWithCredentialsArePercentDecodedAndNeverShown() {
        ProxyEndpoint p = EnvironmentProxySelector.parse("HTTPS_PROXY", "http://al%40ice:p%3Ass@w0rd@proxy.corp:3128/");
        assertEquals("proxy.corp", p.host());
        assertEquals(3128, p.port());
        assertEquals(Optional.of("al@ice"), p.user());
        assertEquals(Optional.of("p:ss@w0rd"), p.password(), "the last '@' ends the user information");
        assertEquals("http://al@ice@proxy.corp:3128", p.display());
        assertFalse(p.toString().contains("w0rd"), p.toString());
        assertEquals(Optional.of("Basic YWxAaWNlOnA6c3NAdzByZA=="), p.basicAuthorization());

        ProxyEndpoint bare = EnvironmentProxySelector.parse("HTTP_PROXY", "proxy.lan");
        assertEquals(80, bare.port());
        assertFalse(bare.hasCredentials());
        ProxyEndpoint v6 = EnvironmentProxySelector.parse("HTTP_PROXY", "http://u:p@[fd00::1]:8080");
        assertEquals("[fd00::1]", v6.host());
        assertEquals(8080, v6.port());
        assertEquals(List.of(new Proxy(Proxy.Type.HTTP, java.net.InetSocketAddress.createUnresolved("fd00::1", 8080))),
                new EnvironmentProxySelector(Map.of("https_proxy", "http://[fd00::1]:8080")).select(URI.create("https://ghcr.io/")));
    }

    @Test
    void unusableProxyUrlsAreConfigErrorsWithoutThePassword() {
        for (String bad : new String[] {"https://bob:s3cret@proxy:3128", "socks5://bob:s3cret@proxy:1080",
                "http://bob:s3cret@proxy:99999", "http://bob:s3cret@:3128", "http://bob:s3%zzcret@proxy:3128"}) {
            Qmt4jException e = assertThrows(Qmt4jException.class,
                    () -> new EnvironmentProxySelector(Map.of("HTTPS_PROXY", bad)), bad);
            assertEquals(ErrorKind.CONFIG, e.kind(), bad);
            assertTrue(e.getMessage().startsWith("HTTPS_PROXY is not a usable proxy URL"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret") || e.getMessage().contains("s3%zzcret"), e.getMessage());
            assertTrue(String.valueOf(e.hint()).contains("http://USER:PASSWORD@HOST:PORT"), e.hint());
        }
        assertEquals("http://***@proxy:3128/x", EnvironmentProxySelector.redact("http://a:b@c@proxy:3128/x"));
    }
}
