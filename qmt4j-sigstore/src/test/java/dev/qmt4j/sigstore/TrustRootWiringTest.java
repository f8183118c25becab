package dev.qmt4j.sigstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.config.VerifyPolicySettings;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.VerificationEvidence;
import dev.qmt4j.oci.registry.RegistrySource;
import dev.qmt4j.oci.registry.RegistryTarget;
import dev.qmt4j.sigstore.TestSigstore.Identity;
import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.sigstore.trust.TrustRoot;
import dev.qmt4j.sigstore.trust.tuf.SigstoreTufRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which trust root verification uses (docs/verification.md, "Trust root and TUF"): manual PEM roots for a private Sigstore, including
 * CT log keys so SCTs verify ({@code ctfe_pub_keys}, {@code --ctfe-pub-keys}); the trust-source
 * precedence; and offline re-verification that never touches the TUF repository.
 */
class TrustRootWiringTest {
    @RegisterExtension
    static final RegistryFixture fx = RegistryFixture.perClass();
    private static final TestSigstore SIGSTORE = new TestSigstore();
    private static final AtomicInteger REPOS = new AtomicInteger();
    private static final Identity ID = Identity.github("acme/plugins", "release.yml");

    @TempDir
    Path tmp;

    private RegistryRef signedKeyless() {
        RegistryRef ref = fx.ref("trust/plugin" + REPOS.incrementAndGet(), "1.0");
        Digest d = fx.pushWasm(ref, REPOS.get());
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            SIGSTORE.signKeyless(s, t, d, ref.name(), ID);
        }
        return ref;
    }

    private Path pem(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Path fulcioPem() throws Exception {
        return pem("fulcio.pem", SIGSTORE.caPem());
    }

    private Path rekorPem() throws Exception {
        return pem("rekor.pub", Pem.encode("PUBLIC KEY", SIGSTORE.rekorKey.getPublic().getEncoded()));
    }

    private Path ctfePem() throws Exception {
        return pem("ctfe.pub", Pem.encode("PUBLIC KEY", SIGSTORE.ctKey.getPublic().getEncoded()));
    }

    private static PolicyFlags identity() {
        return SigstoreVerifierRegistryTest.identityFlags(null, "^https://github\\.com/acme/plugins/", PolicyResolver.GITHUB_ACTIONS_ISSUER, null);
    }

    private static Digest digest(RegistryRef ref) {
        try (RegistrySource s = fx.source(ref)) {
            return s.resolve().digest();
        }
    }

    private static ImageVerdict check(RegistryRef ref, SigstoreVerifier v) {
        try (RegistrySource s = fx.source(ref)) {
            return v.check(s, ref, s.resolve().digest());
        }
    }

    @Test
    void manualTrustRootFromPemFlagsVerifiesKeylessIncludingTheSct() throws Exception {
        RegistryRef ref = signedKeyless();
        PolicyFlags flags = identity().withManualTrustRoot(Optional.of(fulcioPem()), Optional.of(rekorPem()), Optional.of(ctfePem()));
        SigstoreVerifier v = new SigstoreVerifier(new PolicyResolver(VerifyPolicySettings.none(), r -> Optional.empty(), flags),
                TrustRoots.embeddedOnly());
        ImageVerdict.Accepted a = assertInstanceOf(ImageVerdict.Accepted.class, check(ref, v));
        assertEquals(ID.san(), a.details().identity().orElseThrow().subject());
        assertTrue(v.trustRootSource().orElseThrow().startsWith("manual trust root"), v.trustRootSource().toString());
        assertEquals(Optional.empty(), v.trustRootNotice());
    }

    @Test
    void manualTrustRootWithoutCtLogKeysFailsTheSctCheck() throws Exception {
        RegistryRef ref = signedKeyless();
        PolicyFlags flags = identity().withManualTrustRoot(Optional.of(fulcioPem()), Optional.of(rekorPem()), Optional.empty());
        SigstoreVerifier v = new SigstoreVerifier(new PolicyResolver(VerifyPolicySettings.none(), r -> Optional.empty(), flags),
                TrustRoots.embeddedOnly());
        ImageVerdict.Refused r = assertInstanceOf(ImageVerdict.Refused.class, check(ref, v));
        assertTrue(r.message().contains("SCT"), r.message());
    }

    @Test
    void manualTrustRootFromTheOciBlockWithCtfePubKeysVerifiesAndReverifiesOffline() throws Exception {
        RegistryRef ref = signedKeyless();
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("fulcio_certs", fulcioPem().toString());
        block.put("rekor_pub_keys", rekorPem().toString());
        block.put("ctfe_pub_keys", ctfePem().toString());
        block.put("cert_identity_regexp", "^https://github\\.com/acme/plugins/");
        block.put("cert_issuer", PolicyResolver.GITHUB_ACTIONS_ISSUER);
        VerifyPolicySettings oci = VerifyBlocks.settings(block);
        PolicyResolver resolver = new PolicyResolver(oci, r -> Optional.empty(), PolicyFlags.none());
        assertInstanceOf(TrustSource.Manual.class, resolver.trustSource(ref));
        SigstoreVerifier v = new SigstoreVerifier(resolver, TrustRoots.embeddedOnly());
        VerificationEvidence evidence;
        try (RegistrySource s = fx.source(ref)) {
            evidence = v.verify(s, ref, s.resolve().digest());
        }
        assertEquals(Optional.empty(), v.reverify(ref, digest(ref), evidence.files()));
        // the public-good root does not trust this private Sigstore: the modes are never merged
        SigstoreVerifier publicGood = new SigstoreVerifier(new PolicyResolver(VerifyPolicySettings.none(), r -> Optional.empty(),
                identity()), TrustRoots.embeddedOnly());
        ImageVerdict.Refused r = assertInstanceOf(ImageVerdict.Refused.class, check(ref, publicGood));
        assertTrue(r.message().contains("TLOG") || r.message().contains("CERTIFICATE_CHAIN"), r.message());
    }

    @Test
    void trustSourcePrecedence() throws Exception {
        RegistryRef ref = fx.ref("trust/any", "1.0");
        PolicyResolver defaults = new PolicyResolver(VerifyPolicySettings.none(), r -> Optional.empty(), PolicyFlags.none());
        assertEquals(new TrustSource.PublicGood(true), defaults.trustSource(ref));
        VerifyPolicySettings noTuf = VerifyBlocks.settings(Map.of("use_sigstore_tuf_data", false));
        assertEquals(new TrustSource.PublicGood(false), new PolicyResolver(noTuf, r -> Optional.empty(), PolicyFlags.none()).trustSource(ref));
        VerifyPolicySettings provider = VerifyBlocks.settings(Map.of("fulcio_certs", "/p/fulcio.pem", "ctfe_pub_keys", "/p/ct.pub"));
        TrustSource fromProvider = new PolicyResolver(noTuf, r -> Optional.of(provider), PolicyFlags.none()).trustSource(ref);
        assertEquals(new TrustSource.Manual(java.util.List.of(Path.of("/p/fulcio.pem")), java.util.List.of(),
                java.util.List.of(Path.of("/p/ct.pub"))), fromProvider);
        PolicyFlags file = new PolicyFlags(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(Path.of("/t/trusted_root.json")));
        assertEquals(new TrustSource.File(Path.of("/t/trusted_root.json")),
                new PolicyResolver(noTuf, r -> Optional.of(provider), file).trustSource(ref));
    }

    @Test
    void offlineReverificationNeverTouchesTheTufRepository() throws Exception {
        RegistryRef ref = signedKeyless();
        PolicyResolver resolver = new PolicyResolver(VerifyPolicySettings.none(), r -> Optional.empty(), identity());
        VerificationEvidence evidence;
        try (RegistrySource s = fx.source(ref)) {
            evidence = new SigstoreVerifier(resolver, SIGSTORE::trustRoot).verify(s, ref, s.resolve().digest());
        }
        AtomicInteger fetches = new AtomicInteger();
        SigstoreTufRoot tuf = new SigstoreTufRoot((path, max) -> {
            fetches.incrementAndGet();
            throw new java.io.IOException("no network in this test");
        }, "tuf.test", tmp, SigstoreTufRoot.embeddedTufRoot(), TrustRoot::publicGood, Clock.systemUTC(), Duration.ZERO);
        SigstoreVerifier offline = new SigstoreVerifier(resolver, TrustRoots.withTuf(tuf));
        // Signed by the test Sigstore, so the public-good root refuses it; what matters is that no fetch happened.
        assertTrue(offline.reverify(ref, digest(ref), evidence.files()).isPresent());
        assertEquals(0, fetches.get());
        assertTrue(offline.trustRootSource().orElseThrow().contains("no TUF data cached"), offline.trustRootSource().toString());
        // Online, the same verifier tries TUF once, fails fast and says which root it used instead.
        try (RegistrySource s = fx.source(ref)) {
            offline.check(s, ref, s.resolve().digest());
        }
        assertTrue(fetches.get() > 0);
        assertTrue(offline.trustRootNotice().orElseThrow().contains("TUF refresh failed: no network in this test"),
                offline.trustRootNotice().toString());
    }
}
