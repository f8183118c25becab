package dev.qmt4j.oci.registry;

import dev.qmt4j.http.CaCertificates;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that speaks only HTTPS on 127.0.0.1 with a certificate from a private CA (made by openssl):
 * reached over HTTPS although it is loopback, trusted through {@link CaCertificates}, refused with one
 * clear error without them.
 */
class RegistryTlsTest {
    private static RegistryServer registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        registry = RegistryServer.startTls(RegistryServer.Auth.BASIC);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static CaCertificates ca() {
        return CaCertificates.load(List.of(TestCertificates.shared().caCertificate()));
    }

    @Test
    void withTheCaTheClientPushesAndPullsOverHttps() throws Exception {
        RegistryClient client = new RegistryClient(TestImages.options(registry, "localhost:" + registry.port())
                .caCertificates(ca()).build());
        client.ping(registry.host());
        RegistryRef ref = TestImages.ref(registry.host(), "tls/plugin", "1");
        TestImages.Image image = RegistryRoundTripTest.push(client, ref, TestImages.image(20_000, 7));
        // The certificate names localhost too.
        try (RegistrySource source = client.source(TestImages.ref("localhost:" + registry.port(), "tls/plugin", "1"))) {
            assertEquals(image.manifestDigest(), source.resolve().digest());
            Path out = tmp.resolve("layer");
            source.fetchBlob(image.layerDescriptor(), out, (d, t) -> { });
            assertArrayEquals(image.layer(), Files.readAllBytes(out));
        }
        assertEquals("https://" + registry.host(), client.baseUri(registry.host()).toString());
    }

    @Test
    void tokenAuthOverHttpsUsesTheCaForTheTokenServerToo() {
        try (RegistryServer tokens = RegistryServer.startTls(RegistryServer.Auth.TOKEN)) {
            assertTrue(tokens.tokenServer().realm().startsWith("https://127.0.0.1:"), tokens.tokenServer().realm());
            RegistryClient client = new RegistryClient(TestImages.options(tokens).caCertificates(ca()).build());
            RegistryRef ref = TestImages.ref(tokens.host(), "tls/token", "1");
            TestImages.Image image = RegistryRoundTripTest.push(client, ref, TestImages.image(1_000, 8));
            assertEquals(image.manifestDigest(), client.source(ref).resolve().digest());
            assertTrue(tokens.tokenServer().requestCount() > 0, "tokens came from the HTTPS token server");
        }
    }

    @Test
    void withoutTheCaTheErrorNamesTheHostAndSaysWhatToDo() {
        RegistryClient client = new RegistryClient(TestImages.options(registry).build());
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> client.source(TestImages.ref(registry.host(), "tls/plugin", "1")).resolve());
        assertEquals(ErrorKind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("registry " + registry.host()), e.getMessage());
        assertTrue(e.getMessage().contains("not signed by a trusted CA"), e.getMessage());
        assertTrue(e.hint().contains("[oci] ca_certificates"), e.hint());
        assertTrue(e.hint().contains(CaCertificates.ENV), e.hint());
    }

    @Test
    void caFilesAreCheckedAndNamedInErrors() throws Exception {
        CaCertificates loaded = ca();
        assertEquals(1, loaded.certificates().size());
        assertEquals(TestCertificates.shared().caSubject(), CaCertificates.subject(loaded.certificates().get(0)));

        Path missing = tmp.resolve("missing.pem");
        Qmt4jException notFound = assertThrows(Qmt4jException.class, () -> CaCertificates.load(List.of(missing)));
        assertEquals(ErrorKind.CONFIG, notFound.kind());
        assertTrue(notFound.getMessage().contains(missing.toString()), notFound.getMessage());

        Path text = Files.writeString(tmp.resolve("notes.pem"), "not a certificate\n");
        Qmt4jException notPem = assertThrows(Qmt4jException.class, () -> CaCertificates.load(List.of(text)));
        assertEquals(ErrorKind.CONFIG, notPem.kind());
        assertTrue(notPem.getMessage().contains(text.toString()) && notPem.getMessage().contains("no PEM certificate"),
                notPem.getMessage());

        Path garbled = Files.writeString(tmp.resolve("garbled.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Qmt4jException bad = assertThrows(Qmt4jException.class, () -> CaCertificates.load(List.of(garbled)));
        assertEquals(ErrorKind.CONFIG, bad.kind());
        assertTrue(bad.getMessage().contains(garbled.toString()), bad.getMessage());

        assertEquals(List.of(Path.of("/a.pem"), Path.of("/b.pem")),
                CaCertificates.fromEnvironment(Map.of(CaCertificates.ENV, "/a.pem" + java.io.File.pathSeparator + "/b.pem")));
    }

    @Test
    void aPlainLoopbackRegistryIsStillSpokenToOverHttp() {
        try (RegistryServer plain = RegistryServer.start(RegistryServer.Auth.NONE)) {
            RegistryClient client = new RegistryClient(TestImages.options(plain).caCertificates(ca()).build());
            client.ping(plain.host());
            assertEquals("http://" + plain.host(), client.baseUri(plain.host()).toString());
        }
    }
}
