package dev.qmt4j.oci.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.oci.registry.auth.Credentials;
import dev.qmt4j.testkit.FaultProxy;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testkit.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Push and pull against the real registry in each auth mode. */
class RegistryRoundTripTest {
    private static final Map<RegistryServer.Auth, RegistryServer> REGISTRIES = new EnumMap<>(RegistryServer.Auth.class);

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRegistries() {
        for (RegistryServer.Auth auth : RegistryServer.Auth.values()) {
            REGISTRIES.put(auth, RegistryServer.start(auth));
        }
    }

    @AfterAll
    static void stopRegistries() {
        REGISTRIES.values().forEach(RegistryServer::close);
    }

    static TestImages.Image push(RegistryClient client, RegistryRef ref, TestImages.Image image) {
        try (RegistryTarget target = client.target(ref)) {
            target.pushBlob(image.configDescriptor(), image.config());
            Path layer;
            try {
                layer = Files.createTempFile("layer", ".bin");
                Files.write(layer, image.layer());
                target.pushBlob(image.layerDescriptor(), layer);
                Files.delete(layer);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Digest d = target.pushManifest(image.manifest(), MediaTypes.OCI_MANIFEST, ref.tag().orElse(null));
            assertEquals(image.manifestDigest(), d);
        }
        return image;
    }

    @ParameterizedTest
    @EnumSource(RegistryServer.Auth.class)
    void pushThenPullByTagAndDigest(RegistryServer.Auth auth) throws Exception {
        RegistryServer registry = REGISTRIES.get(auth);
        RegistryClient client = new RegistryClient(TestImages.options(registry).build());
        client.ping(registry.host());
        RegistryRef ref = TestImages.ref(registry.host(), "team/plugin-" + auth.name().toLowerCase(), "1.0");
        TestImages.Image image = push(client, ref, TestImages.image(50_000, 1));

        try (RegistrySource source = client.source(ref)) {
            ManifestBlob top = source.resolve();
            assertEquals(image.manifestDigest(), top.digest());
            assertEquals(MediaTypes.OCI_MANIFEST, top.mediaType());
            assertArrayEquals(image.manifest(), top.bytes());
            assertEquals(Optional.of(image.manifestDigest()), source.peekDigest());
            Path out = tmp.resolve("layer");
            AtomicLong lastProgress = new AtomicLong();
            source.fetchBlob(image.layerDescriptor(), out, (done, total) -> lastProgress.set(done));
            assertArrayEquals(image.layer(), Files.readAllBytes(out));
            assertEquals(image.layer().length, lastProgress.get());
        }
        try (RegistrySource byDigest = client.source(TestImages.ref(registry.host(), ref.repository(), image.manifestDigest()))) {
            assertArrayEquals(image.manifest(), byDigest.resolve().bytes());
            assertArrayEquals(image.manifest(), byDigest.manifest(image.manifestDigest()).bytes());
        }
        // An independent client agrees on what we pushed.
        String raw = Skopeo.forRegistry(registry).inspectRaw(ref.registry() + "/" + ref.repository() + ":1.0");
        assertEquals(image.manifestDigest(), Digest.sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void tokensAreCachedAcrossPulls() {
        RegistryServer registry = REGISTRIES.get(RegistryServer.Auth.TOKEN);
        RegistryClient client = new RegistryClient(TestImages.options(registry).build());
        RegistryRef ref = TestImages.ref(registry.host(), "cache/plugin", "v1");
        TestImages.Image image = push(client, ref, TestImages.image(1000, 2));
        try (RegistrySource source = client.source(ref)) {
            source.resolve();
            int afterFirst = registry.tokenServer().requestCount();
            for (int i = 0; i < 3; i++) {
                source.resolve();
                source.fetchBlob(image.layerDescriptor(), tmp.resolve("l" + i), (d, t) -> { });
            }
            assertEquals(afterFirst, registry.tokenServer().requestCount(), "token endpoint asked again");
        }
    }

    @Test
    void identityTokenUsesTheOAuth2RefreshGrant() {
        RegistryServer registry = REGISTRIES.get(RegistryServer.Auth.TOKEN);
        RegistryClient client = new RegistryClient(TestImages.options(registry).credentials(CredentialStore.of(
                Map.of(registry.host(), new Credentials.IdentityToken(registry.tokenServer().identityToken())))).build());
        RegistryRef ref = TestImages.ref(registry.host(), "identity/plugin", "1");
        TestImages.Image image = push(client, ref, TestImages.image(100, 9));
        assertEquals(image.manifestDigest(), client.source(ref).resolve().digest());
    }

    @ParameterizedTest
    @EnumSource(value = RegistryServer.Auth.class, names = {"BASIC", "TOKEN"})
    void wrongPasswordIsAnAuthError(RegistryServer.Auth auth) {
        RegistryServer registry = REGISTRIES.get(auth);
        RegistryClient client = new RegistryClient(TestImages.options(registry)
                .credentials(CredentialStore.of(Map.of(registry.host(), new Credentials.Basic(registry.username(), "wrong"))))
                .build());
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> client.source(TestImages.ref(registry.host(), "team/x", "1")).resolve());
        assertEquals(ErrorKind.AUTH, e.kind());
        assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
        assertTrue(e.hint().contains("docker login"), e.hint());
    }

    @ParameterizedTest
    @EnumSource(value = RegistryServer.Auth.class, names = {"BASIC", "TOKEN"})
    void noCredentialsIsAnAuthError(RegistryServer.Auth auth) {
        RegistryServer registry = REGISTRIES.get(auth);
        RegistryClient client = new RegistryClient(TestImages.options(null).build());
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> client.target(TestImages.ref(registry.host(), "team/x", "1")).hasBlob(Digest.sha256(new byte[0])));
        assertEquals(ErrorKind.AUTH, e.kind());
    }

    @Test
    void missingTagIsNotFoundNamingTheManifest() {
        RegistryServer registry = REGISTRIES.get(RegistryServer.Auth.NONE);
        RegistryClient client = new RegistryClient(TestImages.options(registry).build());
        push(client, TestImages.ref(registry.host(), "nf/plugin", "1"), TestImages.image(10, 3));
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> client.source(TestImages.ref(registry.host(), "nf/plugin", "nope")).resolve());
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("manifest nope") && e.getMessage().contains("MANIFEST_UNKNOWN"), e.getMessage());
    }

    @Test
    void largeBlobsAreUploadedInChunks() throws Exception {
        RegistryServer registry = REGISTRIES.get(RegistryServer.Auth.TOKEN);
        try (FaultProxy proxy = FaultProxy.to(registry.host())) {
            RegistryClient client = new RegistryClient(TestImages.options(registry, proxy.host())
                    .chunkThreshold(1000).chunkSize(1000).build());
            RegistryRef ref = TestImages.ref(proxy.host(), "chunked/plugin", "1");
            TestImages.Image image = push(client, ref, TestImages.image(3500, 4));
            assertEquals(4, proxy.requestCount(FaultProxy.request("PATCH", "/blobs/uploads/")));
            Path out = tmp.resolve("layer");
            client.source(ref).fetchBlob(image.layerDescriptor(), out, (d, t) -> { });
            assertArrayEquals(image.layer(), Files.readAllBytes(out));
        }
    }

    @ParameterizedTest
    @EnumSource(value = RegistryServer.Auth.class, names = {"NONE", "TOKEN"})
    void blobsMountAcrossRepositories(RegistryServer.Auth auth) {
        RegistryServer registry = REGISTRIES.get(auth);
        RegistryClient client = new RegistryClient(TestImages.options(registry).build());
        TestImages.Image image = push(client, TestImages.ref(registry.host(), "mount/from", "1"), TestImages.image(2000, 5));
        try (RegistryTarget to = client.target(TestImages.ref(registry.host(), "mount/to", "1"))) {
            assertFalse(to.hasBlob(image.layerDescriptor().digest()));
            assertTrue(to.mount(image.layerDescriptor().digest(), "mount/from"));
            assertTrue(to.hasBlob(image.layerDescriptor().digest()));
            assertFalse(to.mount(Digest.sha256("absent".getBytes()), "mount/from"));
        }
    }
}
