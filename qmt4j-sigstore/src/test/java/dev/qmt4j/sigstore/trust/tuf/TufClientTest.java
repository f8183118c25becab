package dev.qmt4j.sigstore.trust.tuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.http.CaCertificates;
import dev.qmt4j.http.NetworkSettings;
import dev.qmt4j.http.proxy.EnvironmentProxySelector;
import dev.qmt4j.testkit.ForwardingProxy;
import dev.qmt4j.sigstore.trust.TrustRoot;
import dev.qmt4j.testkit.TestCertificates;
import dev.qmt4j.sigstore.trust.TrustRootException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TUF client against a repository generated in the test and served on 127.0.0.1. */
class TufClientTest {
    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant FAR = Instant.parse("2099-01-01T00:00:00Z");

    @TempDir
    Path cache;
    TufTestRepository repo;
    MutableClock clock = new MutableClock(START);
    byte[] trustedRoot;
    byte[] bootstrap;

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        repo = new TufTestRepository();
        try (InputStream in = TrustRoot.class.getResourceAsStream("public-good-trusted_root.json")) {
            trustedRoot = in.readAllBytes();
        }
        List<TufTestRepository.Key> rootKeys = repo.roles.get("root");
        bootstrap = repo.root(1, FAR, rootKeys);
        repo.files.put("1.root.json", bootstrap);
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    SigstoreTufRoot client(Duration refresh) {
        return new SigstoreTufRoot(new HttpTufFetcher(repo.base(), Duration.ofSeconds(5)), "test-repo", cache, bootstrap,
                TrustRoot::publicGood, clock, refresh);
    }

    SigstoreTufRoot client() {
        return client(Duration.ZERO);
    }

    static String check(TrustRootException e) {
        return ((TufException) e.getCause()).check();
    }

    @Test
    void freshFetchVerifiesAndCachesTheTrustedRoot() {
        repo.publish(trustedRoot, 1, FAR);
        TrustRoot root = client().online();
        assertTrue(root.source().contains("fetched just now"), root.source());
        assertFalse(root.tlogs().isEmpty());
        Path dir = cache.resolve("sigstore/tuf/test-repo");
        assertArrayEquals(trustedRoot, readOrFail(dir.resolve("targets/trusted_root.json")));
        assertTrue(Files.exists(dir.resolve("timestamp.json")) && Files.exists(dir.resolve("snapshot.json"))
                && Files.exists(dir.resolve("targets.json")));
        // consistent snapshot: the target was fetched by its hash-prefixed name
        assertTrue(repo.requests.contains("targets/" + TufTestRepository.sha256(trustedRoot) + ".trusted_root.json"), repo.requests.toString());
        assertTrue(repo.requests.contains("1.snapshot.json") && repo.requests.contains("1.targets.json"));
    }

    @Test
    void withinTheRefreshIntervalTheCacheIsUsedWithoutNetwork() {
        repo.publish(trustedRoot, 1, FAR);
        client(Duration.ofDays(1)).online();
        repo.requests.clear();
        clock.now = START.plus(Duration.ofHours(2));
        TrustRoot again = client(Duration.ofDays(1)).online();
        assertTrue(repo.requests.isEmpty(), repo.requests.toString());
        assertTrue(again.source().contains("fetched 2 hours ago"), again.source());
    }

    @Test
    void twoRootRotationsAreFollowedWithOldAndNewKeys() {
        List<TufTestRepository.Key> v1 = repo.roles.get("root");
        List<TufTestRepository.Key> v2 = List.of(TufTestRepository.Key.ed25519(), TufTestRepository.Key.ecdsa(), v1.get(0));
        repo.roles.put("root", v2);
        repo.publishRoot(2, FAR, List.of(v1.get(0), v1.get(1), v2.get(0), v2.get(1)));
        List<TufTestRepository.Key> v3 = List.of(TufTestRepository.Key.ecdsa(), TufTestRepository.Key.ecdsa());
        repo.roles.put("root", v3);
        repo.roles.put("timestamp", List.of(TufTestRepository.Key.ecdsa())); // rotated online key
        repo.publishRoot(3, FAR, List.of(v2.get(0), v2.get(1), v3.get(0), v3.get(1)));
        repo.publish(trustedRoot, 1, FAR);

        TrustRoot root = client().online();
        assertTrue(root.source().contains("fetched just now"));
        TufMetadata stored = TufMetadata.parse(readOrFail(cache.resolve("sigstore/tuf/test-repo/root.json")), "root");
        assertEquals(3, stored.version());
        assertTrue(repo.requests.contains("4.root.json"), "looks for the next root until 404");
    }

    @Test
    void aRotationSignedOnlyByTheNewKeysIsRefused() {
        List<TufTestRepository.Key> v2 = List.of(TufTestRepository.Key.ecdsa(), TufTestRepository.Key.ed25519());
        repo.roles.put("root", v2);
        repo.publishRoot(2, FAR, v2);
        repo.publish(trustedRoot, 1, FAR);
        TrustRootException e = assertThrows(TrustRootException.class, () -> client().online());
        assertEquals("root.threshold(previous root keys)", check(e));
    }

    @Test
    void aRotationNotSignedByItsOwnKeysIsRefused() {
        List<TufTestRepository.Key> v1 = repo.roles.get("root");
        repo.roles.put("root", List.of(TufTestRepository.Key.ecdsa(), TufTestRepository.Key.ed25519()));
        repo.publishRoot(2, FAR, v1);
        repo.publish(trustedRoot, 1, FAR);
        assertEquals("root.threshold(own keys)", check(assertThrows(TrustRootException.class, () -> client().online())));
    }

    @Test
    void anExpiredTimestampIsRefused() {
        repo.publish(trustedRoot, 1, START.minusSeconds(1));
        TrustRootException e = assertThrows(TrustRootException.class, () -> client().online());
        assertEquals("timestamp.expired", check(e));
        assertFalse(Files.exists(cache.resolve("sigstore/tuf/test-repo/targets/trusted_root.json")));
    }

    @Test
    void aTimestampOlderThanTheTrustedOneIsARollback() {
        repo.publish(trustedRoot, 5, FAR);
        client().online();
        repo.publish(trustedRoot, 4, FAR);
        assertEquals("timestamp.rollback", check(assertThrows(TrustRootException.class, () -> client().online())));
    }

    @Test
    void aSnapshotThatLowersTheTargetsVersionIsARollback() {
        repo.publish(trustedRoot, 2, 2, 7, FAR, repo.roles.get("targets"));
        client().online();
        repo.publish(trustedRoot, 3, 3, 6, FAR, repo.roles.get("targets"));
        assertEquals("snapshot.rollback", check(assertThrows(TrustRootException.class, () -> client().online())));
    }

    @Test
    void targetsBelowTheThresholdAreRefused() {
        repo.publish(trustedRoot, 1, 1, 1, FAR, List.of(repo.roles.get("targets").get(0)));
        assertEquals("targets.threshold", check(assertThrows(TrustRootException.class, () -> client().online())));
    }

    @Test
    void aSignatureListingTheSameKeyTwiceIsRefused() {
        TufTestRepository.Key k = repo.roles.get("targets").get(0);
        repo.publish(trustedRoot, 1, 1, 1, FAR, List.of(k, k));
        assertEquals("targets.threshold", check(assertThrows(TrustRootException.class, () -> client().online())));
    }

    @Test
    void aTargetWhoseHashDiffersIsRefused() {
        repo.publish(trustedRoot, 1, FAR);
        byte[] tampered = trustedRoot.clone();
        tampered[tampered.length / 2] ^= 1;
        repo.files.put("targets/" + TufTestRepository.sha256(trustedRoot) + ".trusted_root.json", tampered);
        assertEquals("target.hash", check(assertThrows(TrustRootException.class, () -> client().online())));
    }

    @Test
    void aPrivateMirrorBehindAPrivateCaIsReachedWithTheExtraCaCertificates() throws IOException {
        try (TufTestRepository mirror = new TufTestRepository(true)) {
            byte[] mirrorRoot = mirror.root(1, FAR, mirror.roles.get("root"));
            mirror.files.put("1.root.json", mirrorRoot);
            mirror.publish(trustedRoot, 1, FAR);
            NetworkSettings withCa = new NetworkSettings(CaCertificates.load(List.of(TestCertificates.shared().caCertificate())),
                    Optional.empty());

            TrustRoot refused = new SigstoreTufRoot(new HttpTufFetcher(mirror.base(), Duration.ofSeconds(5)), "mirror-a",
                    cache, mirrorRoot, TrustRoot::publicGood, clock, Duration.ZERO).online();
            assertTrue(refused.source().contains("TUF refresh failed") && refused.source().contains("not signed by a trusted CA")
                    && refused.source().contains("ca_certificates"), refused.source());

            TrustRoot root = new SigstoreTufRoot(new HttpTufFetcher(mirror.base(), Duration.ofSeconds(5), withCa), "mirror-b",
                    cache, mirrorRoot, TrustRoot::publicGood, clock, Duration.ZERO).online();
            assertTrue(root.source().contains("fetched just now"), root.source());
            assertArrayEquals(trustedRoot, readOrFail(cache.resolve("sigstore/tuf/mirror-b/targets/trusted_root.json")));

            // The same mirror under a name only an authenticating proxy resolves: fetched through it.
            try (ForwardingProxy proxy = ForwardingProxy.start("tuf", "pw").route(TestCertificates.PROXIED_NAME, "127.0.0.1")) {
                URI proxied = URI.create("https://" + TestCertificates.PROXIED_NAME + ":" + mirror.base().getPort() + "/");
                NetworkSettings viaProxy = new NetworkSettings(withCa.caCertificates(),
                        Optional.of(new EnvironmentProxySelector(Map.of("HTTPS_PROXY", proxy.url("tuf", "pw")))));
                TrustRoot throughProxy = new SigstoreTufRoot(new HttpTufFetcher(proxied, Duration.ofSeconds(5), viaProxy), "mirror-c",
                        cache, mirrorRoot, TrustRoot::publicGood, clock, Duration.ZERO).online();
                assertTrue(throughProxy.source().contains("fetched just now"), throughProxy.source());
                assertFalse(proxy.tunnels().isEmpty());
                assertEquals(0, proxy.refused());
            }
        }
    }

    @Test
    void offlineTheLastGoodRootIsUsedAndItsAgeReported() {
        repo.publish(trustedRoot, 1, FAR);
        client().online();
        repo.close();
        clock.now = START.plus(Duration.ofDays(3)).plusSeconds(60);
        TrustRoot root = client().online();
        assertTrue(root.source().startsWith("using Sigstore trust root fetched 3 days ago"), root.source());
        assertTrue(root.source().contains("TUF refresh failed"), root.source());
        assertFalse(root.certificateAuthorities().isEmpty());
    }

    @Test
    void offlineWithNothingCachedTheEmbeddedRootIsUsedAndSaidSo() {
        repo.close();
        TrustRoot root = client().online();
        assertTrue(root.source().contains("embedded public-good trusted_root.json"), root.source());
        assertTrue(root.source().contains("TUF refresh failed"), root.source());
        assertFalse(root.tlogs().isEmpty(), "never an empty root");
    }

    @Test
    void offlineModeNeverTouchesTheNetwork() {
        repo.publish(trustedRoot, 1, FAR);
        client().online();
        SigstoreTufRoot offline = new SigstoreTufRoot((path, max) -> {
            throw new AssertionError("network used for " + path);
        }, "test-repo", cache, bootstrap, TrustRoot::publicGood, clock, Duration.ZERO);
        TrustRoot root = offline.offline();
        assertTrue(root.source().contains("fetched just now"), root.source());
    }

    @Test
    void aTamperedCachedTargetIsNotUsedOffline() throws IOException {
        repo.publish(trustedRoot, 1, FAR);
        client().online();
        Path cached = cache.resolve("sigstore/tuf/test-repo/targets/trusted_root.json");
        Files.write(cached, "{}".getBytes());
        TrustRoot root = client().offline();
        assertTrue(root.source().contains("embedded"), root.source());
    }

    /** Writes {@code evil}'s metadata and {@code target} into the cache as if a refresh had fetched them. */
    private Path plant(TufTestRepository evil, byte[] rootJson) throws IOException {
        Path dir = Files.createDirectories(cache.resolve("sigstore/tuf/test-repo/targets"));
        Path repoDir = dir.getParent();
        Files.write(repoDir.resolve("root.json"), rootJson);
        Files.write(repoDir.resolve("timestamp.json"), evil.files.get("timestamp.json"));
        Files.write(repoDir.resolve("snapshot.json"), evil.files.get("1.snapshot.json"));
        Files.write(repoDir.resolve("targets.json"), evil.files.get("1.targets.json"));
        Files.write(dir.resolve("trusted_root.json"), trustedRoot);
        Files.writeString(repoDir.resolve("refreshed-at"), START.toString());
        return repoDir;
    }

    @Test
    void aPlantedRootWithKeysOfItsOwnIsIgnoredBecauseItDoesNotChainToTheEmbeddedRoot() throws IOException {
        try (TufTestRepository evil = new TufTestRepository()) {
            // Someone who could write to the cache plants root v2 signed only by their own keys, and metadata signed by them.
            evil.publish(trustedRoot, 1, FAR);
            Path repoDir = plant(evil, evil.root(2, FAR, evil.roles.get("root")));

            TrustRoot offline = client(Duration.ofDays(1)).offline();
            assertTrue(offline.source().contains("embedded"), offline.source());
            repo.publish(trustedRoot, 1, FAR);
            TrustRoot online = client(Duration.ofDays(1)).online();
            assertTrue(online.source().contains("fetched just now"), online.source());
            assertTrue(repo.requests.contains("timestamp.json"), "refreshed from the repository, not served from the planted cache");
            assertArrayEquals(bootstrap, readOrFail(repoDir.resolve("root.json")), "the planted root is replaced");
        }
    }

    @Test
    void aCachedChainOfRotationsIsUsedOfflineAndABrokenLinkIsNot() throws IOException {
        List<TufTestRepository.Key> v1 = repo.roles.get("root");
        List<TufTestRepository.Key> v2 = List.of(TufTestRepository.Key.ed25519(), TufTestRepository.Key.ecdsa());
        repo.roles.put("root", v2);
        repo.publishRoot(2, FAR, List.of(v1.get(0), v1.get(1), v2.get(0), v2.get(1)));
        List<TufTestRepository.Key> v3 = List.of(TufTestRepository.Key.ecdsa(), TufTestRepository.Key.ecdsa());
        repo.roles.put("root", v3);
        repo.roles.put("targets", List.of(TufTestRepository.Key.ecdsa(), TufTestRepository.Key.ed25519()));
        repo.publishRoot(3, FAR, List.of(v2.get(0), v2.get(1), v3.get(0), v3.get(1)));
        repo.publish(trustedRoot, 1, FAR);
        client().online();
        Path dir = cache.resolve("sigstore/tuf/test-repo");
        assertTrue(Files.exists(dir.resolve("roots/2.root.json")) && Files.exists(dir.resolve("roots/3.root.json")));

        TrustRoot offline = client().offline();
        assertTrue(offline.source().contains("fetched just now"), offline.source());

        // v2 replaced by a root the v1 keys never signed: the chain breaks, v3 and the targets it signs are not trusted.
        Files.write(dir.resolve("roots/2.root.json"), repo.root(2, FAR, v3));
        TrustRoot broken = client().offline();
        assertTrue(broken.source().contains("embedded"), broken.source());
    }

    @Test
    void unreachableCachedMetadataIsUsedUntilSevenDaysPastItsExpiryThenRefused() {
        Instant expires = START.plus(Duration.ofDays(1));
        repo.publish(trustedRoot, 1, expires);
        client().online();
        repo.close();

        clock.now = expires.plus(Duration.ofDays(3));
        TrustRoot stale = client().online();
        assertTrue(stale.source().contains("fetched 4 days ago") && stale.source().contains("TUF refresh failed")
                && stale.source().contains("expired on " + expires) && stale.source().contains("accepted until "
                + expires.plus(SigstoreTufRoot.FREEZE_GRACE)), stale.source());

        clock.now = expires.plus(Duration.ofDays(7)).plusSeconds(1);
        TrustRootException e = assertThrows(TrustRootException.class, () -> client().online());
        assertTrue(e.getMessage().contains("expired on " + expires + ", more than 7 days ago")
                && e.getMessage().contains("fetched 8 days ago") && e.getMessage().contains("QMT4J_SIGSTORE_TUF_URL")
                && e.getMessage().contains("--trusted-root"), e.getMessage());
        // Re-verifying evidence of plugins already in the cache never needs the network and is not frozen out.
        assertTrue(client().offline().source().contains("fetched 8 days ago"));
    }

    @Test
    void aTrustRootDirectoryOthersCanWriteIsRefused() throws IOException {
        repo.publish(trustedRoot, 1, FAR);
        client().online();
        Path dir = cache.resolve("sigstore/tuf/test-repo");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        dev.qmt4j.Qmt4jException e = assertThrows(dev.qmt4j.Qmt4jException.class, () -> client().offline());
        assertEquals(dev.qmt4j.ErrorKind.PERMISSIONS, e.kind());
        assertTrue(e.getMessage().contains("refusing the trust-root directory: " + dir + " is writable by group and others"),
                e.getMessage());
        assertThrows(dev.qmt4j.Qmt4jException.class, () -> client().online());
        assertTrue(client().checkingPermissions(false).offline().source().contains("fetched just now"));
    }

    @Test
    void theEmbeddedPublicGoodTufRootIsSelfSignedAboveThreshold() {
        TufMetadata root = TufMetadata.parse(SigstoreTufRoot.embeddedTufRoot(), "root");
        Map<String, TufKey> keys = root.keys();
        root.verifyThreshold(keys, root.role("root"), "root.threshold(own keys)");
        assertTrue(root.consistentSnapshot());
        assertEquals(3, root.role("root").threshold());
        int valid = 0;
        for (TufMetadata.Sig s : root.signatures()) {
            TufKey k = keys.get(s.keyId());
            if (k != null && k.verify(root.canonical(), s.sig())) {
                valid++;
            }
        }
        assertTrue(valid >= 3, "valid signatures: " + valid);
    }

    @Test
    void canonicalJsonSortsKeysAndEscapesOnlyQuoteAndBackslash() {
        var n = TufTestRepository.JSON.readTree("{\"b\":1,\"a\":{\"y\":\"q\\\"\\\\\\n\",\"x\":[true,null]}}");
        assertEquals("{\"a\":{\"x\":[true,null],\"y\":\"q\\\"\\\\\n\"},\"b\":1}", new String(CanonicalJson.encode(n)));
    }

    static byte[] readOrFail(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
