package dev.qmt4j.oci.registry;

import dev.qmt4j.http.CaCertificates;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.http.proxy.EnvironmentProxySelector;
import dev.qmt4j.testkit.ForwardingProxy;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testkit.TestCertificates;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Registries reached through a real forwarding proxy ({@link ForwardingProxy}) that wants a user and password:
 * https through a CONNECT tunnel (the JDK will not send Basic credentials there; our relay does), plain http
 * with the credentials on each request, a wrong password, and NO_PROXY ranges that bypass the proxy. The
 * registry is named {@value TestCertificates#PROXIED_NAME}, which only the proxy resolves: a request that did
 * not go through the proxy could not reach it.
 */
class ProxyTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "p@ss:w0rd/%";

    private static CaCertificates ca() {
        return CaCertificates.load(List.of(TestCertificates.shared().caCertificate()));
    }

    private static RegistryClient client(RegistryServer registry, String name, Map<String, String> env, boolean insecure) {
        RegistryOptions.Builder b = TestImages.options(registry, name).caCertificates(ca())
                .proxySelector(new EnvironmentProxySelector(env));
        if (insecure) {
            b.insecureRegistries(List.of(name));
        }
        return new RegistryClient(b.build());
    }

    @Test
    void httpsThroughAProxyWithAPasswordPushesAndPulls() {
        try (RegistryServer registry = RegistryServer.startTls(RegistryServer.Auth.BASIC);
                ForwardingProxy proxy = ForwardingProxy.start(USER, PASSWORD).route(TestCertificates.PROXIED_NAME, "127.0.0.1")) {
            String name = TestCertificates.PROXIED_NAME + ":" + registry.port();
            RegistryClient client = client(registry, name, Map.of("HTTPS_PROXY", proxy.url(USER, PASSWORD)), false);
            client.ping(name);
            RegistryRef ref = TestImages.ref(name, "proxied/plugin", "1");
            TestImages.Image image = RegistryRoundTripTest.push(client, ref, TestImages.image(30_000, 11));
            assertEquals(image.manifestDigest(), client.source(ref).resolve().digest());
            assertTrue(proxy.tunnels().contains(name), proxy.tunnels().toString());
            assertEquals(0, proxy.refused());
            assertEquals(List.of(), proxy.forwarded());
        }
    }

    @Test
    void aWrongProxyPasswordIsAnAuthErrorNamingTheProxyNotThePassword() {
        try (RegistryServer registry = RegistryServer.startTls(RegistryServer.Auth.NONE);
                ForwardingProxy proxy = ForwardingProxy.start(USER, PASSWORD).route(TestCertificates.PROXIED_NAME, "127.0.0.1")) {
            String name = TestCertificates.PROXIED_NAME + ":" + registry.port();
            RegistryClient client = client(registry, name, Map.of("https_proxy", proxy.url(USER, "wrong-s3cret")), false);
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> client.source(TestImages.ref(name, "p/x", "1")).resolve());
            assertEquals(ErrorKind.AUTH, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("proxy http://alice@127.0.0.1:" + proxy.port()), e.getMessage());
            assertTrue(e.getMessage().contains("HTTP 407"), e.getMessage());
            assertFalse((e.getMessage() + e.hint()).contains("s3cret"), e.getMessage());
            assertTrue(e.hint().contains("HTTPS_PROXY"), e.hint());
            assertEquals(1, proxy.refused(), "a refused password is not retried");

            RegistryClient none = client(registry, name, Map.of("HTTPS_PROXY", proxy.url()), false);
            Qmt4jException missing = assertThrows(Qmt4jException.class, () -> none.ping(name));
            assertEquals(ErrorKind.AUTH, missing.kind());
            assertTrue(missing.getMessage().contains("proxy http://127.0.0.1:" + proxy.port() + " requires a user name and password"),
                    missing.getMessage());
        }
    }

    @Test
    void plainHttpThroughTheProxyCarriesTheCredentialsOnEachRequest() {
        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.BASIC);
                ForwardingProxy proxy = ForwardingProxy.start(USER, PASSWORD).route(TestCertificates.PROXIED_NAME, "127.0.0.1")) {
            String name = TestCertificates.PROXIED_NAME + ":" + registry.port();
            RegistryClient client = client(registry, name, Map.of("HTTP_PROXY", proxy.url(USER, PASSWORD)), true);
            RegistryRef ref = TestImages.ref(name, "plain/plugin", "1");
            TestImages.Image image = RegistryRoundTripTest.push(client, ref, TestImages.image(10_000, 12));
            assertEquals(image.manifestDigest(), client.source(ref).resolve().digest());
            assertTrue(proxy.forwarded().stream().allMatch(u -> u.startsWith("http://" + name + "/v2/")), proxy.forwarded().toString());
            assertFalse(proxy.forwarded().isEmpty());
            assertEquals(0, proxy.refused());
        }
    }

    @Test
    void aNoProxyCidrRangeBypassesTheProxy() {
        // 0.0.0.0 is not loopback to the proxy rules, yet Linux connects it to this host: a registry address
        // that is an IP literal and reachable both directly and through the proxy.
        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.NONE);
                ForwardingProxy proxy = ForwardingProxy.start(USER, PASSWORD)) {
            String name = "0.0.0.0:" + registry.port();
            RegistryRef ref = TestImages.ref(name, "cidr/plugin", "1");
            RegistryClient proxied = client(registry, name, Map.of("HTTP_PROXY", proxy.url(USER, PASSWORD),
                    "NO_PROXY", "10.0.0.0/8,192.168.0.0/16"), true);
            TestImages.Image image = RegistryRoundTripTest.push(proxied, ref, TestImages.image(5_000, 13));
            int throughProxy = proxy.forwarded().size();
            assertTrue(throughProxy > 0, "outside the ranges: through the proxy");

            RegistryClient bypassing = client(registry, name, Map.of("HTTP_PROXY", proxy.url(USER, PASSWORD),
                    "NO_PROXY", "10.0.0.0/8, 0.0.0.0/8"), true);
            assertEquals(image.manifestDigest(), bypassing.source(ref).resolve().digest());
            assertEquals(throughProxy, proxy.forwarded().size(), "inside a range: direct");
        }
    }
}
