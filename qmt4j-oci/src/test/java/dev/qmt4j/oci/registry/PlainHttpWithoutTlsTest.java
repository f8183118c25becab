package dev.qmt4j.oci.registry;

import dev.qmt4j.http.CaCertificates;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.TransferListener;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.oci.registry.auth.Credentials;
import dev.qmt4j.testkit.ChildJvm;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull from a registry listed in {@code insecure_registries} sets up no TLS at all, not even with extra CA
 * certificates configured: the JDK's TLS code (the default {@code SSLContext}, cacerts) costs 0.2-0.4 s of CPU
 * that plain HTTP never needs. Checked in a child JVM ({@link ChildJvm}) against the real registry, with Bearer
 * tokens from its (plain-HTTP) token server, so the token path is covered too.
 */
class PlainHttpWithoutTlsTest {
    @TempDir
    Path tmp;

    /** Pushes a one-layer image (4 KiB, from {@code seed}) as {@code repository:1.0}, which the child JVM then pulls. */
    private static TestImages.Image push(RegistryServer registry, String repository, int seed) {
        RegistryClient pusher = new RegistryClient(TestImages.options(registry).build());
        return RegistryRoundTripTest.push(pusher, TestImages.ref(registry.host(), repository, "1.0"), TestImages.image(4_096, seed));
    }

    @Test
    void aPlainHttpPullLoadsNoTlsImplementation() throws Exception {
        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.TOKEN)) {
            TestImages.Image image = push(registry, "team/plain", 9);

            Path out = tmp.resolve("layer.bin");
            ChildJvm.Run run = ChildJvm.run(PlainPullMain.class, List.of(registry.host(), registry.username(),
                    registry.password(), TestCertificates.shared().caCertificate().toString(),
                    image.layerDescriptor().digest().toString(), Long.toString(image.layer().length), out.toString()));

            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.output().contains("PULLED " + image.manifestDigest()), run.output());
            assertTrue(java.util.Arrays.equals(image.layer(), Files.readAllBytes(out)), "the layer arrived whole");
            assertEquals(List.of(), run.loaded("sun.security.ssl.").stream().limit(5).toList(), "no TLS implementation class");
            assertEquals(List.of(), run.loaded("javax.net.ssl.TrustManagerFactory").stream().toList(), "no trust anchors read");
            assertTrue(run.loadedClasses().contains("dev.qmt4j.http.PlainHttpOnly"), "the plain-HTTP client was used");
        }
    }

    /**
     * A loopback registry that is not listed as insecure is probed for TLS first (as Docker does); the probe's
     * ClientHello is written by hand, so finding plain HTTP sets up no TLS either (it built the JDK's
     * {@code SSLContext} before: ~400 TLS classes and ~0.2 s of CPU per cold pull, docs/benchmarks.md).
     */
    @Test
    void probingAPlainLoopbackRegistryLoadsNoTlsImplementation() throws Exception {
        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.NONE)) {
            TestImages.Image image = push(registry, "team/probed", 10);

            Path out = tmp.resolve("layer.bin");
            ChildJvm.Run run = ChildJvm.run(ProbedPullMain.class, List.of(registry.host(),
                    image.layerDescriptor().digest().toString(), Long.toString(image.layer().length), out.toString()));

            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.output().contains("PULLED " + image.manifestDigest() + " FROM http://" + registry.host()), run.output());
            assertTrue(java.util.Arrays.equals(image.layer(), Files.readAllBytes(out)), "the layer arrived whole");
            assertTrue(run.loadedClasses().contains("dev.qmt4j.oci.registry.TlsProbe"), "the registry was probed");
            assertEquals(List.of(), run.loaded("sun.security.ssl.").stream().limit(5).toList(), "no TLS implementation class");
            assertEquals(List.of(), run.loaded("javax.net.ssl.TrustManagerFactory").stream().toList(), "no trust anchors read");
        }
    }

    /** The child JVM: a loopback registry, not listed as insecure, with the default options. */
    public static final class ProbedPullMain {
        public static void main(String[] args) {
            String host = args[0];
            RegistryClient client = new RegistryClient(RegistryOptions.builder().proxySelector(null).build());
            try (RegistrySource source = client.source(TestImages.ref(host, "team/probed", "1.0"))) {
                ManifestBlob manifest = source.resolve();
                source.fetchBlob(Descriptor.of(MediaTypes.WASM_LAYER, Digest.parse(args[1]), Long.parseLong(args[2])),
                        Path.of(args[3]), TransferListener.NONE);
                System.out.println("PULLED " + manifest.digest() + " FROM " + client.baseUri(host));
            }
        }
    }

    /** The child JVM: resolve the tag and fetch the layer over plain HTTP, with an extra CA configured. */
    public static final class PlainPullMain {
        public static void main(String[] args) {
            String host = args[0];
            RegistryClient client = new RegistryClient(RegistryOptions.builder()
                    .insecureRegistries(List.of(host))
                    .credentials(CredentialStore.of(Map.of(host, new Credentials.Basic(args[1], args[2]))))
                    .proxySelector(null)
                    .caCertificates(CaCertificates.load(List.of(Path.of(args[3]))))
                    .build());
            try (RegistrySource source = client.source(TestImages.ref(host, "team/plain", "1.0"))) {
                ManifestBlob manifest = source.resolve();
                source.fetchBlob(Descriptor.of(MediaTypes.WASM_LAYER, Digest.parse(args[4]), Long.parseLong(args[5])),
                        Path.of(args[6]), TransferListener.NONE);
                System.out.println("PULLED " + manifest.digest());
            }
        }
    }
}
