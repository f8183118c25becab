package dev.qmt4j.sigstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.config.VerifyPolicySettings;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSources;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.PullFrom;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryEntry;
import dev.qmt4j.oci.registry.RegistryMirror;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.RegistryRoutes;
import dev.qmt4j.oci.registry.RegistrySource;
import dev.qmt4j.oci.registry.RegistryTarget;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.oci.registry.auth.Credentials;
import dev.qmt4j.pull.PluginPuller;
import dev.qmt4j.pull.PullRequest;
import dev.qmt4j.pull.PullResult;
import dev.qmt4j.sigstore.cosign.CosignKeyPair;
import dev.qmt4j.sigstore.cosign.CosignKeys;
import dev.qmt4j.sigstore.cosign.LegacySigner;
import dev.qmt4j.testkit.Fault;
import dev.qmt4j.testkit.FaultProxy;
import dev.qmt4j.testkit.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirrors and pull-through caches against real engines: Debian's docker-registry as the upstream and a second one
 * in proxy mode ({@code proxy.remoteurl}) as the mirror, each behind a {@link FaultProxy} that records every request
 * and misbehaves on demand. Plugins are signed (cosign keyed) and verified on every pull.
 */
class MirrorPullTest {
    private static RegistryServer upstream;
    private static RegistryServer cache;
    private static CosignKeyPair key;
    private static int seed;

    @TempDir
    Path tmp;

    private FaultProxy primary;
    private FaultProxy mirror;

    @BeforeAll
    static void start() throws Exception {
        upstream = RegistryServer.start(RegistryServer.Auth.NONE);
        cache = RegistryServer.startProxy(upstream);
        key = CosignKeys.generate();
    }

    @AfterAll
    static void stop() {
        if (cache != null) {
            cache.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @BeforeEach
    void proxies() {
        primary = FaultProxy.to(upstream.host());
        mirror = FaultProxy.to(cache.host());
    }

    @AfterEach
    void closeProxies() {
        primary.close();
        mirror.close();
    }

    // --- helpers ---

    private static RegistryOptions.Builder options(CredentialStore creds) {
        // The client's default retries and backoff: failing over must not wait for them.
        return RegistryOptions.builder().credentials(creds).proxySelector(null).connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(20));
    }

    private RegistryClient client(PullFrom mode, boolean blocked) {
        return client(mode, blocked, CredentialStore.anonymous());
    }

    private RegistryClient client(PullFrom mode, boolean blocked, CredentialStore creds) {
        return new RegistryClient(options(creds).build(), new RegistryRoutes(List.of(new RegistryEntry(primary.host(), null,
                false, blocked, List.of(new RegistryMirror(mirror.host(), mode, false))))));
    }

    /** Pushes a small signed Wasm plugin to the upstream (directly) as {@code repo:1.0}; its reference through {@link #primary}. */
    private RegistryRef publish(String repo, RegistryServer to, CredentialStore creds) throws Exception {
        RegistryClient direct = new RegistryClient(options(creds).build());
        RegistryRef at = new RegistryRef(to.host(), repo, Optional.of("1.0"), Optional.empty());
        Path wasm = tmp.resolve(repo.replace('/', '_') + ".wasm");
        byte[] bytes = new byte[64 * 1024];
        new Random(++seed).nextBytes(bytes);
        System.arraycopy(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, 0, bytes, 0, 8);
        Files.write(wasm, bytes);
        Digest d;
        try (RegistryTarget t = direct.target(at)) {
            d = dev.qmt4j.oci.ImagePackager.pushWasm(t, wasm, "1.0", Map.of());
        }
        RegistryRef viaPrimary = new RegistryRef(primary.host(), repo, Optional.of("1.0"), Optional.empty());
        try (RegistrySource s = direct.source(at); RegistryTarget t = direct.target(at)) {
            LegacySigner.sign(s, t, d, viaPrimary.name(), key.privateKey(), Map.of());
        }
        return viaPrimary;
    }

    private RegistryRef publish(String repo) throws Exception {
        return publish(repo, upstream, CredentialStore.anonymous());
    }

    private PullResult pull(RegistryClient client, ImageRef ref) throws Exception {
        Path pub = SigstoreVerifierRegistryTest.writePublicKey(tmp, key);
        SigstoreVerifier verifier = new SigstoreVerifier(new PolicyResolver(VerifyPolicySettings.none(), r -> Optional.empty(),
                SigstoreVerifierRegistryTest.keyFlag(pub)), () -> { throw new AssertionError("keyed needs no trust root"); });
        PluginCache c = PluginCache.open(Files.createTempDirectory(tmp, "cache"));
        return PluginPuller.builder().cache(c).sources(r -> ImageSources.open(r, client)).verifier(verifier).build()
                .pull(PullRequest.of(ref), e -> { });
    }

    /**
     * Only lookups of artifacts the mirror does not have (the Sigstore bundle referrers, absent here) reach the
     * primary, which has none either: it served nothing.
     */
    private static void assertServedNothing(FaultProxy p) {
        assertTrue(p.exchanges().stream().noneMatch(x -> x.status() / 100 == 2), "the primary served something: " + p.exchanges());
        assertTrue(p.requests().stream().noneMatch(r -> r.path().contains("/blobs/") || r.path().contains(".sig")),
                "content or a signature was asked of the primary: " + p.requests());
    }

    private static boolean namesTag(FaultProxy.Request r) {
        return r.path().contains("/manifests/1.0");
    }

    // --- tests ---

    @Test
    void signedPluginThroughTheWarmProxyWithTheUpstreamStopped() throws Exception {
        RegistryRef ref = publish("warm/plugin");
        PullResult warm = pull(client(PullFrom.ALL, false), ref);
        assertServedNothing(primary);
        assertTrue(mirror.requests().stream().allMatch(r -> r.path().contains("ns=" + primary.host().replace(":", "%3A"))),
                "every mirror request carries ?ns=<upstream host>: " + mirror.requests());
        upstream.stop();
        primary.down();
        try {
            PullResult byTag = pull(client(PullFrom.ALL, false), ref);
            assertEquals(warm.digest(), byTag.digest());
            assertEquals(ref, byTag.reference(), "the result names the upstream reference, never the mirror");
            PullResult byDigest = pull(client(PullFrom.ALL, false), ref.withDigest(warm.digest()));
            assertEquals(warm.layerDigest(), byDigest.layerDigest());
            assertServedNothing(primary);
        } finally {
            upstream.start();
            primary.up();
        }
    }

    @Test
    void mirrorDownOr503Or429FallsOverToThePrimaryAtOnce() throws Exception {
        RegistryRef ref = publish("failover/plugin");
        mirror.down();
        long t0 = System.nanoTime();
        assertEquals(ref, pull(client(PullFrom.ALL, false), ref).reference());
        mirror.up();

        mirror.inject(r -> true, Fault.status(503), 1000);
        assertEquals(ref, pull(client(PullFrom.ALL, false), ref).reference());
        mirror.clearFaults();

        mirror.inject(r -> true, Fault.tooManyRequests(30), 1000);
        RegistryClient limited = client(PullFrom.ALL, false);
        assertEquals(ref, pull(limited, ref).reference());
        long asked = mirror.requests().size();
        // The mirror asked for 30 s of quiet: the next pull does not ask it at all.
        pull(limited, ref.withDigest(pull(limited, ref).digest()));
        assertEquals(asked, mirror.requests().size(), "a cooling-down mirror is skipped");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "no backoff or Retry-After sleep while the primary answers: " + took);
        assertTrue(primary.requests().size() > 0);
    }

    @Test
    void aCoolingMirrorIsWaitedForOnlyWhenNoOtherSourceIsLeft() throws Exception {
        RegistryRef open = publish("cool/open");
        RegistryRef sealed = publish("cool/sealed");
        // One client, two entries on the same mirror host: "cool/open" may fall back to the primary, "cool/sealed" may not.
        RegistryClient client = new RegistryClient(options(CredentialStore.anonymous()).build(), new RegistryRoutes(List.of(
                new RegistryEntry(primary.host() + "/cool/open", null, false, false,
                        List.of(new RegistryMirror(mirror.host() + "/cool/open", PullFrom.ALL, false))),
                new RegistryEntry(primary.host() + "/cool/sealed", null, false, true,
                        List.of(new RegistryMirror(mirror.host() + "/cool/sealed", PullFrom.ALL, false))))));
        mirror.inject(r -> true, new Fault.Status(429, "3"), 1);
        long t0 = System.nanoTime();
        pull(client, open);
        Duration first = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(first.compareTo(Duration.ofSeconds(2)) < 0, "the primary served at once: " + first);
        assertTrue(primary.requests().stream().anyMatch(MirrorPullTest::namesTag), "the primary resolved the tag");
        long asked = mirror.requests().size();
        assertEquals(1, asked, "after its 429 the mirror cools down and is not asked again: " + mirror.requests());

        // Blocked: the cooling mirror is the only source left, so the pull waits for its Retry-After, then uses it.
        t0 = System.nanoTime();
        PullResult r = pull(client, sealed);
        Duration waited = Duration.ofNanos(System.nanoTime() - t0);
        assertEquals(sealed, r.reference());
        assertTrue(waited.compareTo(Duration.ofMillis(1500)) > 0, "waited for the cool-down: " + waited);
        assertTrue(mirror.requests().size() > asked);
        assertTrue(primary.requests().stream().noneMatch(q -> q.path().contains("/cool/sealed/")), "blocked: " + primary.requests());
    }

    @Test
    void digestOnlyMirrorNeverSeesTheTagButServesTheContent() throws Exception {
        RegistryRef ref = publish("digest-only/plugin");
        PullResult byTag = pull(client(PullFrom.DIGEST_ONLY, false), ref);
        assertTrue(mirror.requests().stream().noneMatch(MirrorPullTest::namesTag), "the tag went to a digest-only mirror: "
                + mirror.requests());
        assertTrue(primary.requests().stream().anyMatch(MirrorPullTest::namesTag), "the tag is resolved on the primary");
        assertTrue(mirror.requestCount(FaultProxy.path("/blobs/" + byTag.layerDigest())) > 0,
                "the layer, named by digest, comes from the mirror: " + mirror.requests());
        assertEquals(0, primary.requestCount(FaultProxy.path("/blobs/")), "no blob from the primary");

        primary.resetCounts();
        mirror.resetCounts();
        PullResult byDigest = pull(client(PullFrom.DIGEST_ONLY, false), ref.withDigest(byTag.digest()));
        assertEquals(byTag.digest(), byDigest.digest());
        assertTrue(mirror.requests().get(0).path().contains("/manifests/" + byTag.digest()), "a digest reference goes to the mirror first: "
                + mirror.requests());
        assertServedNothing(primary);
    }

    @Test
    void tagOnlyMirrorIsSkippedForADigestReference() throws Exception {
        RegistryRef ref = publish("tag-only/plugin");
        PullResult byTag = pull(client(PullFrom.TAG_ONLY, false), ref);
        assertTrue(mirror.requests().stream().anyMatch(MirrorPullTest::namesTag));
        assertEquals(0, mirror.requestCount(FaultProxy.path("/blobs/")), "content by digest comes from the primary");
        mirror.resetCounts();
        pull(client(PullFrom.TAG_ONLY, false), ref.withDigest(byTag.digest()));
        assertEquals(0, mirror.requests().size());
    }

    @Test
    void mirrorServingWrongBytesIsRefusedAndThePrimaryUsed() throws Exception {
        RegistryRef ref = publish("wrong/plugin");
        mirror.inject(FaultProxy.path("/blobs/"), Fault.flipByte(100), 1000);
        PullResult r = pull(client(PullFrom.ALL, false), ref);
        assertEquals(r.layerDigest(), Digest.sha256(r.path()));
        assertEquals(1, mirror.requestCount(FaultProxy.path("/blobs/")), "the mirror is asked once, then distrusted: "
                + mirror.requests());
        assertTrue(primary.requestCount(FaultProxy.path("/blobs/" + r.layerDigest())) > 0);
    }

    @Test
    void blockedRegistryWithOnlyADigestOnlyMirrorFailsTagsWithItsOwnCode() throws Exception {
        RegistryRef ref = publish("blocked/plugin");
        PullResult ok = pull(client(PullFrom.ALL, false), ref);
        primary.resetCounts();
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> pull(client(PullFrom.DIGEST_ONLY, true), ref));
        assertEquals(ErrorKind.BLOCKED, e.kind(), e.getMessage());
        assertEquals(15, e.kind().exitCode());
        assertTrue(e.getMessage().contains("blocked"), e.getMessage());
        assertEquals(ok.digest(), pull(client(PullFrom.DIGEST_ONLY, true), ref.withDigest(ok.digest())).digest());
        assertEquals(0, primary.requests().size(), "a blocked location is never contacted");
        mirror.down();
        Qmt4jException down = assertThrows(Qmt4jException.class,
                () -> pull(client(PullFrom.ALL, true), ref.withDigest(ok.digest())));
        assertEquals(ErrorKind.BLOCKED, down.kind(), down.getMessage());
    }

    @Test
    void credentialsOfTheUpstreamNeverReachTheMirror() throws Exception {
        try (RegistryServer locked = RegistryServer.start(RegistryServer.Auth.BASIC);
                RegistryServer lockedCache = RegistryServer.startProxy(locked);
                FaultProxy lockedPrimary = FaultProxy.to(locked.host());
                FaultProxy lockedMirror = FaultProxy.to(lockedCache.host())) {
            FaultProxy saved = primary;
            primary = lockedPrimary;
            RegistryRef ref;
            try {
                ref = publish("private/plugin", locked, CredentialStore.of(Map.of(locked.host(),
                        new Credentials.Basic(locked.username(), locked.password()))));
            } finally {
                primary = saved;
            }
            CredentialStore creds = CredentialStore.of(Map.of(lockedPrimary.host(),
                    new Credentials.Basic(locked.username(), locked.password())));
            RegistryClient client = new RegistryClient(options(creds).build(), new RegistryRoutes(List.of(new RegistryEntry(
                    lockedPrimary.host(), null, false, false, List.of(new RegistryMirror(lockedMirror.host(), PullFrom.ALL, false))))));
            pull(client, ref);
            assertFalse(lockedMirror.requests().isEmpty());
            assertTrue(lockedMirror.requests().stream().allMatch(r -> r.header("Authorization").isEmpty()),
                    "no Authorization reached the mirror: " + lockedMirror.requests());
            lockedMirror.down();
            pull(client, ref);
            assertTrue(lockedPrimary.requests().stream().anyMatch(r -> r.header("Authorization").isPresent()),
                    "the primary got its credentials");
        }
    }
}
