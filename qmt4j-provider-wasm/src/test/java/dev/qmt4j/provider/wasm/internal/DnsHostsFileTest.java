package dev.qmt4j.provider.wasm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.provider.HttpLimits;
import dev.qmt4j.provider.NetworkPolicy;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.wasm.ExtismPlugin;
import dev.qmt4j.wasm.WasmManifest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox's DNS check with real resolution of names that are not address literals: the
 * surefire execution {@code hosts-file} points the JDK resolver at {@code src/test/resources/dns/hosts}
 * ({@code -Djdk.net.hosts.file}, documented since JDK 18 and implemented since JDK 9), so
 * {@code loopback.qmt4j.test} resolves to 127.0.0.1 without any network. Skipped when the property
 * is not in effect (e.g. a plain {@code -Dtest=} run of the default execution).
 */
class DnsHostsFileTest {
    static OpenAiTestServer a;
    static OpenAiTestServer b;
    static final SafeHttp HTTP = new SafeHttp(HttpLimits.DEFAULT);
    static final NetworkPolicy GLOB = NetworkPolicy.builder().allowedHost("*.qmt4j.test").build();

    @BeforeAll
    static void start() {
        boolean hostsFile;
        try {
            hostsFile = InetAddress.getByName("loopback.qmt4j.test").isLoopbackAddress();
        } catch (UnknownHostException e) {
            hostsFile = false;
        }
        Assumptions.assumeTrue(hostsFile, "jdk.net.hosts.file is not in effect (run through the hosts-file surefire execution)");
        a = OpenAiTestServer.start();
        b = OpenAiTestServer.start();
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    @BeforeEach
    void reset() {
        a.clearRequests();
        b.clearRequests();
        a.redirectTo(null);
    }

    static HttpWire.Request get(String url) {
        return new HttpWire.Request("GET", url, new HttpWire.Headers().add("Authorization", "Bearer " + a.apiKey()), "HTTP/1.1", new byte[0]);
    }

    static String loopbackUrl(OpenAiTestServer s) {
        return "http://loopback.qmt4j.test:" + s.port() + "/v1/models";
    }

    @ParameterizedTest
    @CsvSource({"loopback, 127.0.0.1 (loopback)", "metadata, 169.254.169.254 (link-local (cloud metadata))",
        "metadata6, fd00:ec2:0:0:0:0:0:254 (private (unique local))", "private, 10.1.2.3 (private)",
        "shared, 100.100.100.200 (shared address space)", "mixed, 192.168.7.7 (private)"})
    void aGlobMatchedNameResolvingToANonPublicAddressIsRefused(String name, String resolved) {
        String host = name + ".qmt4j.test";
        ProviderException e = assertThrows(ProviderException.class,
                () -> HTTP.send(get("http://" + host + ":" + a.port() + "/v1/models"), GLOB, null));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertTrue(e.getMessage().contains("host '" + host + "' resolves to " + resolved), e.getMessage());
        assertTrue(e.getMessage().contains("list '" + host + "' exactly in allowed_hosts, or set allow_private_networks = true"), e.getMessage());
        assertTrue(a.requests().isEmpty(), "nothing was sent");
    }

    @Test
    void aPublicAnswerPasses() throws Exception {
        // checked only: nothing connects to the public address
        List<InetAddress> checked = new AddressCheck(AddressCheck.SYSTEM).before(GLOB, URI.create("https://public.qmt4j.test/v1/"));
        assertEquals(List.of(InetAddress.getByName("93.184.215.14")), List.copyOf(checked).stream()
                .map(x -> { try { return InetAddress.getByAddress(x.getAddress()); } catch (UnknownHostException e) { throw new AssertionError(e); } })
                .toList());
    }

    @Test
    void aNameThatDoesNotResolveIsANetworkFailureNotADenial() {
        SafeHttp.NetworkFailure f = assertThrows(SafeHttp.NetworkFailure.class,
                () -> HTTP.send(get("http://nowhere.qmt4j.test:" + a.port() + "/v1/models"), GLOB, null));
        assertEquals("dns", f.transportKind());
        assertTrue(f.getMessage().contains("nowhere.qmt4j.test"), f.getMessage());
    }

    @Test
    void whatTheUserAllowedExplicitlyIsReached() throws Exception {
        NetworkPolicy optIn = NetworkPolicy.forProvider(Json.object(), null,
                dev.qmt4j.provider.Sandbox.defaults().withAllowedHosts(List.of("*.qmt4j.test")).withAllowPrivateNetworks(true));
        NetworkPolicy exact = NetworkPolicy.builder().allowedHost("loopback.qmt4j.test").build();
        NetworkPolicy baseUrl = NetworkPolicy.builder().configuredBaseUrl("http://loopback.qmt4j.test:" + a.port() + "/v1/").build();
        for (NetworkPolicy p : List.of(optIn, exact, baseUrl)) {
            HttpWire.Response r = HTTP.send(get(loopbackUrl(a)), p, null);
            assertEquals(200, r.status(), p.toString());
            assertTrue(r.bodyText().contains(OpenAiTestServer.MODEL_A));
        }
        assertEquals(3, a.requests().size());
    }

    @Test
    void aRedirectHopToSuchANameIsRefused() throws Exception {
        a.redirectTo("http://loopback.qmt4j.test:" + b.port());
        NetworkPolicy p = NetworkPolicy.builder().allowedHost("127.0.0.1").allowedHost("*.qmt4j.test").build();
        ProviderException e = assertThrows(ProviderException.class, () -> HTTP.send(get(a.baseUrl() + "models"), p, null));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertTrue(e.getMessage().contains("host 'loopback.qmt4j.test' resolves to 127.0.0.1"), e.getMessage());
        assertEquals(1, a.requests().size());
        assertTrue(b.requests().isEmpty(), "the hop was refused before connecting");

        NetworkPolicy exact = NetworkPolicy.builder().allowedHost("127.0.0.1").allowedHost("loopback.qmt4j.test").build();
        assertEquals(401, HTTP.send(get(a.baseUrl() + "models"), exact, null).status(), "followed; the key was dropped across origins");
        assertEquals(1, b.requests().size());
    }

    @Test
    void hostFunctionsRefuseLikeTheHttpAdapterPath() {
        byte[] wasm = WatGuest.build("http://127.0.0.1:1/v1", WatGuest.getRequest(a.baseUrl() + "models", a.apiKey()));
        try (ExtismPlugin plugin = ExtismPlugin.builder(WasmManifest.builder().module(wasm).build())
                .name("wat").hostFunctions(new QmtHostFunctions(HTTP, "wat").functions()).build()) {
            for (String fn : List.of("raw_http", "stream_open")) {
                byte[] in = WatGuest.getRequest(loopbackUrl(a), a.apiKey()).getBytes(StandardCharsets.UTF_8);
                RuntimeException e = assertThrows(RuntimeException.class, () -> plugin.call(fn, in, new CallState(GLOB, null)));
                ProviderException pe = PluginErrors.fromCall(fn, e);
                assertEquals(ProviderErrorKind.SANDBOX_DENIED, pe.providerKind(), fn);
                assertTrue(pe.getMessage().contains("resolves to 127.0.0.1"), pe.getMessage());
            }
            assertTrue(a.requests().isEmpty());
            byte[] in = WatGuest.getRequest(loopbackUrl(a), a.apiKey()).getBytes(StandardCharsets.UTF_8);
            NetworkPolicy exact = NetworkPolicy.builder().allowedHost("loopback.qmt4j.test").build();
            try (CallState st = new CallState(exact, null)) {
                JsonNode r = Json.parse(plugin.call("raw_http", in, st));
                assertEquals(200, r.at("/resp/head/status").asInt());
            }
        }
    }

    @Test
    void extismBuiltInHttpRequestIsCheckedToo() {
        byte[] wasm = WatGuest.build("http://127.0.0.1:1/v1", WatGuest.getRequest(a.baseUrl() + "models", a.apiKey()));
        byte[] req = ("{\"url\":\"" + loopbackUrl(a) + "\",\"headers\":{\"Authorization\":\"Bearer " + a.apiKey() + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        // as WasmProvider wires it: the manifest's hosts plus the address check of the same policy
        try (ExtismPlugin plugin = builtIn(wasm, GLOB)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> plugin.call("extism_http", req, CallState.offline()));
            ProviderException pe = PluginErrors.fromCall("extism_http", e);
            assertEquals(ProviderErrorKind.SANDBOX_DENIED, pe.providerKind());
            assertTrue(pe.getMessage().contains("host 'loopback.qmt4j.test' resolves to 127.0.0.1"), pe.getMessage());
            assertTrue(a.requests().isEmpty());
        }
        try (ExtismPlugin plugin = builtIn(wasm, NetworkPolicy.builder().allowedHost("loopback.qmt4j.test").build())) {
            String body = new String(plugin.call("extism_http", req, CallState.offline()), StandardCharsets.UTF_8);
            assertTrue(body.contains(OpenAiTestServer.MODEL_A), body);
        }
    }

    static ExtismPlugin builtIn(byte[] wasm, NetworkPolicy p) {
        WasmManifest m = WasmManifest.builder().module(wasm).allowedHosts(p.allowedHostGlobs())
                .connectCheck(AddressCheck.forExtism(p, AddressCheck.SYSTEM)).build();
        return ExtismPlugin.builder(m).name("wat").hostFunctions(new QmtHostFunctions(HTTP, "wat").functions()).build();
    }
}
