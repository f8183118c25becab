package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageSources;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.Signer;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.sigstore.TestSigstore;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Following compares keyless signers as structured values (docs/locking.md, "Signer"): a new digest whose
 * certificate's issuer imitates the verifier's summary text (it ends in " github_workflow_repository=acme/plugins",
 * and the certificate has no such extension) is another signer and is refused, where the signer read back out of
 * the summary was the same text as the one in service. Real
 * registry, real certificates from a private Sigstore ({@link TestSigstore}); the update path is the one the
 * {@link Follower} takes on a new digest ({@link PluginRegistry#updateSameSigner}).
 */
class FollowerKeylessSignerTest {
    private static final TestSigstore SIGSTORE = new TestSigstore();

    @TempDir
    Path tmp;

    private static Digest publish(RegistryClient client, RegistryRef ref, String version, TestSigstore.Identity id) {
        Digest d;
        try (ImageTarget t = ImageSources.openTarget(ref, client)) {
            d = ImagePackager.pushWasm(t, TestPlugins.path(TestPlugins.QMT_OPENAI), "1.0",
                    Map.of("org.opencontainers.image.version", version));
        }
        try (ImageSource s = ImageSources.open(ref, client); ImageTarget t = ImageSources.openTarget(ref, client)) {
            SIGSTORE.signKeyless(s, t, d, ref.name(), id);
        }
        return d;
    }

    private static RegistryClient client(RegistryServer server) {
        return new RegistryClient(RegistryOptions.builder().credentials(CredentialStore.anonymous())
                .proxySelector(null).insecureRegistries(List.of(server.host())).connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(20)).build());
    }

    /**
     * A registry following the one provider {@code openai} at {@code ref}, trusting only {@link #SIGSTORE}, with an
     * issuer regexp anchored at the start only (it accepts any issuer that begins like GitHub Actions').
     */
    private PluginRegistry open(RegistryServer server, RegistryRef ref) throws IOException {
        TestSigstore.TrustFiles trust = SIGSTORE.writeTrustFiles(tmp);
        Path cfg = Files.writeString(tmp.resolve("providers.toml"), """
                [[providers]]
                name = "openai"
                path = "%s"

                [oci]
                insecure_registries = ["%s"]
                refresh = "never"
                %s
                cert_identity_regexp = '^https://github\\.com/acme/plugins/'
                cert_issuer_regexp = '^https://token\\.actions\\.githubusercontent\\.com'
                """.formatted(ref.canonical(), server.host(), trust.toml()));
        return PluginRegistry.builder().config(cfg).env(Map.of("QMT4J_SIGSTORE_TUF_URL", "http://127.0.0.1:9/"))
                .home(tmp).cacheDir(tmp.resolve("cache")).build();
    }

    @Test
    void aNewDigestWhoseIssuerImitatesTheSummaryTextIsRefusedAndTheSameSignerIsSwappedIn() throws Exception {
        try (RegistryServer server = RegistryServer.start(RegistryServer.Auth.NONE)) {
            RegistryClient client = client(server);
            RegistryRef ref = (RegistryRef) ImageRef.parse("oci://" + server.host() + "/follow/keyless:1.0");
            TestSigstore.Identity release = TestSigstore.Identity.github("acme/plugins", "release.yml");
            // Its summary's signer part reads exactly like the release's: "identity=L issuer=I github_workflow_repository=R".
            TestSigstore.Identity lookAlike = new TestSigstore.Identity(release.san(),
                    release.issuer() + " github_workflow_repository=" + release.repository(), null);
            Digest v1 = publish(client, ref, "1", release);
            // An issuer regexp anchored at the start only: the policy accepts both certificates, following must not.
            try (PluginRegistry r = open(server, ref)) {
                assertEquals(v1.toString(), r.digestInService("openai"));
                LoadResult.Loaded loaded = assertInstanceOf(LoadResult.Loaded.class, r.load("openai"));
                assertEquals(Optional.of(new Signer.Keyless(release.san(), Optional.of(release.issuer()))), loaded.signer());

                Digest v2 = publish(client, ref, "2", lookAlike);
                UpdateResult refused = r.updateSameSigner("openai");
                UpdateResult.Failed f = assertInstanceOf(UpdateResult.Failed.class, refused, refused::toString);
                Qmt4jException e = assertInstanceOf(Qmt4jException.class, f.error());
                assertEquals(ErrorKind.VERIFICATION, e.kind());
                assertTrue(e.getMessage().contains("a change of signer is refused") && e.getMessage().contains(v2.toString()),
                        e.getMessage());
                assertEquals(v1.toString(), r.digestInService("openai"), "the version in service stays");

                Digest v3 = publish(client, ref, "3", release);
                UpdateResult same = r.updateSameSigner("openai");
                assertInstanceOf(UpdateResult.Updated.class, same, same::toString);
                assertEquals(v3.toString(), r.digestInService("openai"), "the same signer is swapped in");
            }
        }
    }

    /**
     * The follower's retry-or-refuse decision reads the verifier's refusal kind, not the message: the change-of-signer
     * refusal quotes the new certificate's issuer, which here ends like the verifier's unsigned refusal
     * (" failed: no signature found for D"). It is refused once, not retried as a release awaiting its signature.
     */
    @Test
    void aChangeOfSignerWhoseIssuerImitatesTheUnsignedRefusalIsRefusedNotRetried() throws Exception {
        try (RegistryServer server = RegistryServer.start(RegistryServer.Auth.NONE)) {
            RegistryClient client = client(server);
            RegistryRef ref = (RegistryRef) ImageRef.parse("oci://" + server.host() + "/follow/imitate:1.0");
            TestSigstore.Identity release = TestSigstore.Identity.github("acme/plugins", "release.yml");
            Digest v1 = publish(client, ref, "1", release);
            try (PluginRegistry r = open(server, ref)) {
                assertEquals(v1.toString(), r.digestInService("openai"));
                List<FollowEvent> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
                Duration every = Duration.ofMillis(500);
                try (Follower f = r.follow(List.of("openai"), every, Duration.ZERO, events::add)) {
                    // The issuer ends like the verifier's unsigned refusal; it names a digest, any will do.
                    TestSigstore.Identity imitation = new TestSigstore.Identity(release.san(),
                            release.issuer() + " failed: no signature found for " + v1, release.repository());
                    Digest v2 = publish(client, ref, "2", imitation);
                    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (System.nanoTime() < end && events.stream().noneMatch(e -> e instanceof FollowEvent.Refused)) {
                        Thread.sleep(50);
                    }
                    List<FollowEvent> seen = List.copyOf(events);
                    FollowEvent.Refused refused = seen.stream().filter(FollowEvent.Refused.class::isInstance)
                            .map(FollowEvent.Refused.class::cast).findFirst().orElseThrow(() -> new AssertionError(seen.toString()));
                    assertEquals(v2.toString(), refused.digest());
                    assertTrue(refused.reason().contains("a change of signer is refused")
                            && refused.reason().contains(" failed: no signature found for " + v1), refused.reason());
                    // A check between the push and its signature may fail (no signature yet); the change of signer never does.
                    assertTrue(seen.stream().noneMatch(e -> e instanceof FollowEvent.Failed x && x.reason().contains("change of signer")),
                            seen.toString());
                    assertEquals(v1.toString(), r.digestInService("openai"), "the version in service stays");
                }
            }
        }
    }
}
