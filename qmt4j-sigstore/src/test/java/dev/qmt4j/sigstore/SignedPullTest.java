package dev.qmt4j.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.config.VerifyPolicySettings;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.SignatureVerifier;
import dev.qmt4j.oci.registry.RegistrySource;
import dev.qmt4j.oci.registry.RegistryTarget;
import dev.qmt4j.pull.PluginPuller;
import dev.qmt4j.pull.PullRequest;
import dev.qmt4j.pull.PullResult;
import dev.qmt4j.sigstore.cosign.CosignKeyPair;
import dev.qmt4j.sigstore.cosign.CosignKeys;
import dev.qmt4j.sigstore.cosign.LegacySigner;
import dev.qmt4j.testkit.Fault;
import dev.qmt4j.testkit.FaultProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The pull pipeline with {@link SigstoreVerifier}: digest binding, nothing cached on refusal, offline re-verification. */
class SignedPullTest {
    @RegisterExtension
    static final RegistryFixture fx = RegistryFixture.perClass();

    @TempDir
    Path tmp;

    private SigstoreVerifier keyed(CosignKeyPair key) throws Exception {
        Path pub = SigstoreVerifierRegistryTest.writePublicKey(tmp, key);
        return new SigstoreVerifier(new PolicyResolver(VerifyPolicySettings.none(), r -> Optional.empty(),
                SigstoreVerifierRegistryTest.keyFlag(pub)), () -> { throw new AssertionError("keyed needs no trust root"); });
    }

    private PluginPuller puller(PluginCache cache, SignatureVerifier v, Function<ImageRef, dev.qmt4j.oci.ImageSource> sources) {
        return PluginPuller.builder().cache(cache).sources(sources).verifier(v).build();
    }

    private static void sign(RegistryRef ref, Digest d, CosignKeyPair key) {
        sign(ref, d, key, ref);
    }

    /** Signs in {@code ref}'s repository a payload naming {@code pulledAs}, the reference the test pulls. */
    private static void sign(RegistryRef ref, Digest d, CosignKeyPair key, RegistryRef pulledAs) {
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            LegacySigner.sign(s, t, d, pulledAs.name(), key.privateKey(), Map.of());
        }
    }

    private static long files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void tagMovedDuringVerificationIsNeverUsed_case51() throws Exception {
        RegistryRef ref = fx.ref("toctou/plugin", "1.0");
        Digest signedDigest = fx.pushWasm(ref, 1);
        CosignKeyPair key = CosignKeys.generate();
        sign(ref, signedDigest, key);
        SigstoreVerifier real = keyed(key);
        // While the signature is being checked, the tag is moved to other (unsigned) content.
        SignatureVerifier moving = (source, reference, digest) -> {
            Digest moved = fx.pushWasm(ref, 2);
            assertFalse(moved.equals(digest));
            return real.verify(source, reference, digest);
        };
        PluginCache cache = PluginCache.open(tmp.resolve("cache"));
        PullResult r = puller(cache, moving, x -> fx.source((RegistryRef) x)).pull(PullRequest.of(ref), e -> { });
        assertEquals(signedDigest, r.digest());
        try (RegistrySource s = fx.source(fx.ref("toctou/plugin", signedDigest.toString().replace(':', '-')))) {
            // the bytes in the cache are the signed image's layer, not the moved tag's
            byte[] manifest = s.manifest(signedDigest).bytes();
            assertTrue(new String(manifest).contains(r.layerDigest().toString()));
        }
        assertEquals(r.layerDigest(), Digest.sha256(r.path()));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("case 52: a platform child whose bytes do not hash to the digest the verified index lists is refused")
    void platformChildNotMatchingTheSignedIndexIsRefused_case52() throws Exception {
        RegistryRef ref = fx.ref("multi/plugin", "1.0");
        Platform linux = Platform.of("linux", "amd64");
        Path lib = tmp.resolve("libplugin.so");
        Files.write(lib, new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3, 4});
        Path other = tmp.resolve("libother.so");
        Files.write(other, new byte[] {0x7f, 'E', 'L', 'F', 9, 9, 9, 9});
        Digest index;
        Digest otherIndex;
        try (RegistryTarget t = fx.target(ref)) {
            index = ImagePackager.pushNativeIndex(t, Map.of(linux, lib), Optional.empty(), "1.0", Map.of());
            otherIndex = ImagePackager.pushNativeIndex(t, Map.of(linux, other), Optional.empty(), "other", Map.of());
        }
        CosignKeyPair key = CosignKeys.generate();
        Digest child;
        byte[] otherChild;
        try (RegistrySource s = fx.source(ref)) {
            child = ((ImageIndex) s.manifest(index).parse()).manifests().get(0).digest();
            Digest otherChildDigest = ((ImageIndex) s.manifest(otherIndex).parse()).manifests().get(0).digest();
            otherChild = s.manifest(otherChildDigest).bytes();
        }
        PluginCache cache = PluginCache.open(tmp.resolve("cache"));
        try (FaultProxy proxy = FaultProxy.to(fx.host())) {
            // the registry answers the child's digest with another (valid, unsigned) manifest
            proxy.inject(FaultProxy.path("/manifests/" + child), Fault.replaceBody(otherChild, null), 1000);
            RegistryRef viaProxy = new RegistryRef(proxy.host(), ref.repository(), ref.tag(), Optional.empty());
            // signed for the name pulled: the payload's docker-reference must name it
            sign(ref, index, key, viaProxy);
            PluginPuller puller = PluginPuller.builder().cache(cache).sources(x -> fx.source((RegistryRef) x)).verifier(keyed(key))
                    .hostPlatform(linux).build();
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> puller.pull(PullRequest.of(viaProxy), ev -> { }));
            assertEquals(ErrorKind.INTEGRITY, e.kind(), e.getMessage());
        }
        for (String dir : new String[] {"entries", "refs"}) {
            assertEquals(0, files(tmp.resolve("cache").resolve(dir)), dir + " must stay empty");
        }
    }

    @Test
    void refusedPullLeavesNothingInTheCache() throws Exception {
        RegistryRef ref = fx.ref("refused/plugin", "1.0");
        Digest d = fx.pushWasm(ref, 3);
        sign(ref, d, CosignKeys.generate());
        PluginCache cache = PluginCache.open(tmp.resolve("cache"));
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> puller(cache, keyed(CosignKeys.generate()), x -> fx.source((RegistryRef) x)).pull(PullRequest.of(ref), ev -> { }));
        assertEquals(ErrorKind.VERIFICATION, e.kind());
        for (String dir : new String[] {"entries", "manifests", "evidence", "refs"}) {
            assertEquals(0, files(tmp.resolve("cache").resolve(dir)), dir + " must stay empty");
        }
    }

    @Test
    void cachedPluginLoadsOfflineAndTamperedEvidenceIsDetected() throws Exception {
        RegistryRef ref = fx.ref("offline/plugin", "1.0");
        Digest d = fx.pushWasm(ref, 4);
        CosignKeyPair key = CosignKeys.generate();
        sign(ref, d, key);
        SigstoreVerifier v = keyed(key);
        PluginCache cache = PluginCache.open(tmp.resolve("cache"));
        PullResult first = puller(cache, v, x -> fx.source((RegistryRef) x)).pull(PullRequest.of(ref), e -> { });
        assertFalse(first.cached());

        Function<ImageRef, dev.qmt4j.oci.ImageSource> offline = x -> {
            throw new Qmt4jException(ErrorKind.NETWORK, "registry unreachable (test)");
        };
        RegistryRef pinned = ref.withDigest(d);
        PullResult again = puller(cache, v, offline).pull(PullRequest.of(pinned), e -> { });
        assertTrue(again.cached());
        assertArrayEquals(Files.readAllBytes(first.path()), Files.readAllBytes(again.path()));

        // Alter the stored signature payload: the cached copy is no longer trusted, and offline there is nothing else.
        Path evidence = tmp.resolve("cache").resolve("evidence").resolve("sha256").resolve(d.hex());
        Path payload;
        try (Stream<Path> s = Files.list(evidence)) {
            payload = s.filter(p -> p.getFileName().toString().startsWith("payload-")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(payload);
        b[b.length - 3] ^= 1;
        Files.write(payload, b);
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> puller(cache, v, offline).pull(PullRequest.of(pinned), ev -> { }));
        assertEquals(ErrorKind.NETWORK, e.kind());
        // Online, it is verified again from the registry and works.
        PullResult online = puller(cache, v, x -> fx.source((RegistryRef) x)).pull(PullRequest.of(pinned), ev -> { });
        assertTrue(online.warnings().stream().anyMatch(w -> w.contains("no longer holds")), online.warnings().toString());
    }
}
