package dev.qmt4j.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class NetworkPolicyTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode cfg(String json) {
        return JSON.readTree(json);
    }

    /** A sandbox allowing {@code globs}. */
    static Sandbox hosts(String... globs) {
        return Sandbox.defaults().withAllowedHosts(List.of(globs));
    }

    @Test
    void denyByDefault() {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{}"), null, Sandbox.defaults());
        assertFalse(p.allows("api.openai.com"));
        assertFalse(p.allows("localhost"));
        assertEquals("nothing", p.describe());
        assertFalse(NetworkPolicy.denyAll().allows("example.com"));
    }

    @Test
    void configuredBaseUrlHostIsAllowedEvenWhenLocal() {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{\"base_url\":\"http://127.0.0.1:8080/v1/\"}"), "https://api.openai.com/v1/", null);
        assertTrue(p.allows("127.0.0.1"));
        assertFalse(p.allows("api.openai.com"), "the plugin default is not used when base_url is configured");
        assertTrue(NetworkPolicy.forProvider(cfg("{\"base_url\":\"http://LOCALHOST:11434\"}"), null, null).allows("localhost"));
        assertTrue(NetworkPolicy.forProvider(cfg("{\"base_url\":\"http://[::1]:1/\"}"), null, null).allows("[::1]"));
        assertTrue(NetworkPolicy.forProvider(cfg("{\"base_url\":\"http://192.168.1.5/\"}"), null, null).allows("192.168.1.5"));
    }

    @Test
    void configuredBaseUrlAllowsItsSchemeHostAndPortOnly() {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{\"base_url\":\"http://localhost:11434\"}"), null, null);
        p.check(URI.create("http://localhost:11434/api/chat"));
        p.check(URI.create("http://LOCALHOST:11434/"));
        for (String other : List.of("http://localhost:2375/containers/json", "https://localhost:11434/", "http://localhost/")) {
            ProviderException e = assertThrows(ProviderException.class, () -> p.check(URI.create(other)), other);
            assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
            assertTrue(e.getMessage().contains("http://localhost:11434"), e.getMessage());
        }
        assertFalse(p.trustsAddressesOf(URI.create("http://localhost:2375/")), "another port is not the origin the user named");
        // Default ports count as written: https://h/ is https://h:443.
        NetworkPolicy tls = NetworkPolicy.forProvider(cfg("{\"base_url\":\"https://api.example.com/v1\"}"), null, null);
        tls.check(URI.create("https://api.example.com:443/v1/chat"));
        assertThrows(ProviderException.class, () -> tls.check(URI.create("http://api.example.com/v1/chat")));
        assertThrows(ProviderException.class, () -> tls.check(URI.create("https://api.example.com:8443/")));
        // A glob in the sandbox still allows any port of a host it matches.
        NetworkPolicy glob = NetworkPolicy.forProvider(cfg("{\"base_url\":\"http://localhost:11434\"}"), null, hosts("localhost"));
        glob.check(URI.create("http://localhost:2375/"));
    }

    @Test
    void theConfigsOwnAllowedHostsAndPrivateNetworkKeysDecideNothing() {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{\"allowed_hosts\":[\"*\"],\"allow_private_networks\":true}"), null, null);
        assertFalse(p.allows("example.com"));
        assertFalse(p.allowsPrivateNetworks());
        assertEquals("nothing", p.describe());
    }

    @Test
    void pluginDefaultAllowedOnlyWithoutConfiguredBaseUrlAndOnlyIfPublic() {
        assertTrue(NetworkPolicy.forProvider(cfg("{}"), "https://api.openai.com/v1/", null).allows("api.openai.com"));
        assertTrue(NetworkPolicy.forProvider(cfg("{}"), "https://API.OpenAI.com./v1/", null).allows("api.openai.com"));
        for (String local : List.of("http://localhost:11434", "http://127.0.0.1/", "http://10.1.2.3/", "http://172.16.0.1/",
                "http://172.31.255.255/", "http://192.168.0.10/", "http://169.254.169.254/latest/", "http://[::1]/",
                "http://[fe80::1]/", "http://[fd00::5]/", "http://foo.localhost/", "http://0.0.0.0/", "http://127.1/",
                "http://2130706433/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/")) {
            NetworkPolicy p = NetworkPolicy.forProvider(cfg("{}"), local, null);
            assertFalse(p.allows(NetworkPolicy.hostOf(local)), local);
            ProviderException e = assertThrows(ProviderException.class, () -> p.check(URI.create(local)));
            assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
            if (NetworkPolicy.hostOf(local) != null) assertTrue(e.getMessage().contains("default base_url"), e.getMessage());
        }
    }

    @Test
    void allowedHostsGlobs() {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{}"), null, hosts("*.example.com", "api?.test", "h[0-9].net", "Exact.ORG", "extra.io"));
        assertTrue(p.allows("a.example.com"));
        assertTrue(p.allows("a.b.example.com"));
        assertFalse(p.allows("example.com"));
        assertTrue(p.allows("api1.test"));
        assertFalse(p.allows("api12.test"));
        assertTrue(p.allows("h7.net"));
        assertFalse(p.allows("hx.net"));
        assertTrue(p.allows("exact.org"));
        assertTrue(p.allows("extra.io"));
        assertFalse(p.allows("evil.com"));
        assertTrue(NetworkPolicy.forProvider(cfg("{}"), null, hosts("*")).allows("anything.at.all"));
        assertTrue(NetworkPolicy.forProvider(cfg("{}"), null, hosts("localhost")).allows("localhost"), "users may allow local hosts explicitly");
    }

    @Test
    void globPortOrSchemeNeverMatches() {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{}"), null, hosts("localhost:8080", "https://x.com"));
        assertFalse(p.allows("localhost"));
        assertFalse(p.allows("x.com"));
    }

    @Test
    void checkRejectsOtherSchemesAndMissingHosts() {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{}"), null, hosts("*"));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, assertThrows(ProviderException.class, () -> p.check(URI.create("file:///etc/passwd"))).providerKind());
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, assertThrows(ProviderException.class, () -> p.check(URI.create("ftp://x.com/"))).providerKind());
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, assertThrows(ProviderException.class, () -> p.check(URI.create("http:///x"))).providerKind());
        p.check(URI.create("https://x.com:8443/v1"));
    }

    @Test
    void malformedConfigIsInvalidConfig() {
        assertEquals(ProviderErrorKind.INVALID_CONFIG, assertThrows(ProviderException.class,
                () -> NetworkPolicy.forProvider(cfg("{\"base_url\":\"not a url\"}"), null, null)).providerKind());
        assertEquals(ProviderErrorKind.INVALID_CONFIG, assertThrows(ProviderException.class,
                () -> NetworkPolicy.forProvider(cfg("{\"base_url\":5}"), null, null)).providerKind());
    }

    static URI url(String host) {
        return URI.create("https://" + host + "/");
    }

    static List<InetAddress> addrs(String... literals) throws Exception {
        List<InetAddress> out = new java.util.ArrayList<>();
        for (String l : literals) out.add(InetAddress.getByName(l));
        return out;
    }

    @Test
    void globMatchedHostResolvingToAPrivateAddressIsRefused() throws Exception {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{}"), null, hosts("*.example.com"));
        ProviderException e = assertThrows(ProviderException.class, () -> p.checkAddresses(url("api.example.com"), addrs("8.8.8.8", "169.254.169.254")));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertTrue(e.getMessage().contains("'api.example.com' resolves to 169.254.169.254 (link-local (cloud metadata))"), e.getMessage());
        assertTrue(e.getMessage().contains("allow_private_networks = true"), e.getMessage());
        p.checkAddresses(url("api.example.com"), addrs("8.8.8.8", "2606:4700:4700::1111"));
    }

    @Test
    void pluginDefaultHostIsCheckedToo() throws Exception {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{}"), "https://api.openai.com/v1/", null);
        assertFalse(p.trustsAddressesOf(URI.create("https://api.openai.com/v1/")));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED,
                assertThrows(ProviderException.class, () -> p.checkAddresses(URI.create("https://api.openai.com/v1/"), addrs("10.0.0.5"))).providerKind());
    }

    @Test
    void hostsTheUserNamedExactlyKeepTheirAddresses() throws Exception {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{\"base_url\":\"http://llm.lan:8080/\"}"),
                null, hosts("gpu.LAN", "10.0.0.7", "*.corp", "h?.lan", "extra.lan"));
        for (String u : List.of("http://llm.lan:8080/v1", "http://gpu.lan/", "http://GPU.lan.:9/", "https://10.0.0.7/", "http://extra.lan/")) {
            assertTrue(p.trustsAddressesOf(URI.create(u)), u);
            p.checkAddresses(URI.create(u), addrs("127.0.0.1", "10.0.0.7"));
        }
        for (String h : List.of("x.corp", "h1.lan", "other.lan")) assertFalse(p.trustsAddressesOf(url(h)), h);
        assertFalse(p.trustsAddressesOf(URI.create("http://llm.lan:9000/")), "only the base_url's own port");
        assertThrows(ProviderException.class, () -> p.checkAddresses(url("x.corp"), addrs("192.168.0.2")));
    }

    @Test
    void optInAllowsPrivateNetworksForEveryAllowedHost() throws Exception {
        NetworkPolicy p = NetworkPolicy.forProvider(cfg("{}"), null, hosts("*.corp").withAllowPrivateNetworks(true));
        assertTrue(p.allowsPrivateNetworks());
        p.checkAddresses(url("x.corp"), addrs("192.168.0.2", "fd00:ec2::254"));
        assertFalse(p.allows("evil.com"), "the opt-in widens addresses, never names");
        assertTrue(p.describe().contains("private networks"), p.describe());
        NetworkPolicy local = NetworkPolicy.forProvider(cfg("{}"), "http://localhost:11434/", Sandbox.defaults().withAllowPrivateNetworks(true));
        assertTrue(local.allows("localhost"), "with the opt-in a local plugin default is reachable");
        local.check(URI.create("http://localhost:11434/api"));
        assertThrows(ProviderException.class, () -> local.check(URI.create("http://localhost:2375/")), "at its own port only");
        assertTrue(NetworkPolicy.builder().allowPrivateNetworks(true).build().trustsAddressesOf(url("anything")));
        NetworkPolicy off = NetworkPolicy.forProvider(cfg("{}"), null, hosts("*.corp"));
        assertThrows(ProviderException.class, () -> off.checkAddresses(url("x.corp"), addrs("192.168.0.2")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "a.localhost", "127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.5.5", "172.31.0.1",
            "192.168.255.1", "169.254.1.1", "0.0.0.0", "::1", "[::1]", "::", "fe80::1", "febf::1", "fc00::1", "fdff::1",
            "::ffff:10.0.0.1", "127.1", "2130706433", "0x"})
    void localOrPrivate(String host) {
        if (host.equals("0x")) {
            assertFalse(NetworkPolicy.isLocalOrPrivate(host));
            return;
        }
        assertTrue(NetworkPolicy.isLocalOrPrivate(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.openai.com", "8.8.8.8", "172.15.0.1", "172.32.0.1", "192.169.0.1", "169.253.0.1",
            "11.0.0.1", "2001:db8::1", "fec0::1", "::ffff:8.8.8.8", "localhost.example.com", "1.2.3.4.5", "256.1.1.1"})
    void publicOrNotAnAddress(String host) {
        assertFalse(NetworkPolicy.isLocalOrPrivate(host), host);
    }
}
