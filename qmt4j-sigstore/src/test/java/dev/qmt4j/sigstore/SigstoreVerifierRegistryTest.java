package dev.qmt4j.sigstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.VerifyPolicySettings;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.Recheck;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.Signer;
import dev.qmt4j.oci.VerificationEvidence;
import dev.qmt4j.oci.registry.RegistrySource;
import dev.qmt4j.oci.registry.RegistryTarget;
import dev.qmt4j.sigstore.TestSigstore.Identity;
import dev.qmt4j.sigstore.cosign.CosignAnnotations;
import dev.qmt4j.sigstore.cosign.CosignKeyPair;
import dev.qmt4j.sigstore.cosign.CosignKeys;
import dev.qmt4j.sigstore.cosign.LegacySignatureScheme;
import dev.qmt4j.sigstore.cosign.LegacySigner;
import dev.qmt4j.sigstore.cosign.SimpleSigningPayload;
import dev.qmt4j.sigstore.testing.TestPki;
import dev.qmt4j.sigstore.trust.TrustRoot;
import dev.qmt4j.testkit.FaultProxy;
import dev.qmt4j.testkit.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy {@code .sig} signatures against the real registry: keyed (signed by {@link LegacySigner},
 * keys as cosign writes them) and keyless (a BouncyCastle Fulcio/CT/Rekor of {@link TestSigstore}).
 * Case numbers refer to the rejection cases of docs/verification.md.
 */
class SigstoreVerifierRegistryTest {
    @RegisterExtension
    static final RegistryFixture fx = RegistryFixture.perClass();
    private static final TestSigstore SIGSTORE = new TestSigstore();
    private static final AtomicInteger REPOS = new AtomicInteger();
    private static final String QMT = "querymt/querymt";

    @TempDir
    Path tmp;

    private RegistryRef freshRef() {
        return fx.ref("team/plugin" + REPOS.incrementAndGet(), "1.0");
    }

    private Path writeKey(CosignKeyPair pair) throws Exception {
        return writePublicKey(tmp, pair);
    }

    /** Writes the cosign public key PEM of {@code pair} to a new file in {@code dir}. */
    static Path writePublicKey(Path dir, CosignKeyPair pair) throws Exception {
        Path p = Files.createTempFile(dir, "cosign", ".pub");
        Files.writeString(p, CosignKeys.publicKeyPem(pair.publicKey()));
        return p;
    }

    static PolicyFlags keyFlag(Path key) {
        return new PolicyFlags(Optional.of(key), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    static PolicyFlags identityFlags(String identity, String identityRegexp, String issuer, String repository) {
        return new PolicyFlags(Optional.empty(), Optional.ofNullable(identity), Optional.ofNullable(identityRegexp),
                Optional.ofNullable(issuer), Optional.empty(), Optional.ofNullable(repository), Optional.empty());
    }

    /** A verifier with no config policies, {@code flags}, and the test Sigstore's trust root. */
    private static SigstoreVerifier verifier(PolicyFlags flags) {
        return new SigstoreVerifier(new PolicyResolver(VerifyPolicySettings.none(), r -> Optional.empty(), flags), SIGSTORE::trustRoot);
    }

    private static ImageVerdict check(RegistryRef ref, Digest d, PolicyFlags flags) {
        try (RegistrySource s = fx.source(ref)) {
            return verifier(flags).check(s, ref, d);
        }
    }

    /** Verifies {@code ref} at {@code d} with {@code v} and checks that the evidence re-verifies offline as it is. */
    private static VerificationEvidence verifiedEvidence(SigstoreVerifier v, RegistryRef ref, Digest d) {
        VerificationEvidence evidence;
        try (RegistrySource s = fx.source(ref)) {
            evidence = v.verify(s, ref, d);
        }
        assertEquals(Optional.empty(), v.reverify(ref, d, evidence.files()));
        return evidence;
    }

    private static ImageVerdict.Refused refused(ImageVerdict v) {
        return assertInstanceOf(ImageVerdict.Refused.class, v, () -> "expected a refusal, got " + v);
    }

    private static LegacySigner.Signed signKeyed(RegistryRef ref, Digest d, CosignKeyPair key) {
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            return LegacySigner.sign(s, t, d, ref.name(), key.privateKey(), Map.of());
        }
    }

    private static void attach(RegistryRef ref, Digest d, byte[] payload, Map<String, String> annotations) {
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            LegacySigner.attach(s, t, d, payload, annotations, new byte[0]);
        }
    }

    private static void signKeyless(RegistryRef ref, Digest d, Identity id) {
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            SIGSTORE.signKeyless(s, t, d, ref.name(), id);
        }
    }

    // ------------------------------------------------------------------ keyed

    @Test
    void keyedSignatureVerifiesAndEvidenceReverifiesOffline() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 1);
        CosignKeyPair key = CosignKeys.generate();
        signKeyed(ref, d, key);
        PolicyFlags flags = keyFlag(writeKey(key));
        ImageVerdict.Accepted a = assertInstanceOf(ImageVerdict.Accepted.class, check(ref, d, flags));
        assertTrue(SigstoreVerifier.summary(a).contains(CosignKeys.fingerprint(key.publicKey())));

        SigstoreVerifier v = verifier(flags);
        VerificationEvidence evidence = verifiedEvidence(v, ref, d);
        // Tampered evidence: a payload byte changed.
        Map<String, byte[]> bad = new HashMap<>(evidence.files());
        String payloadFile = bad.keySet().stream().filter(k -> k.startsWith("payload-")).findFirst().orElseThrow();
        byte[] p = bad.get(payloadFile).clone();
        p[p.length - 2] ^= 1;
        bad.put(payloadFile, p);
        assertTrue(v.reverify(ref, d, bad).isPresent());
        // Evidence for another digest does not verify this one.
        Digest other = fx.pushWasm(freshRef(), 99);
        assertTrue(v.reverify(ref, other, evidence.files()).isPresent());
    }

    @Test
    void realCosignKeyFilesSignAndVerify_case21() throws Exception {
        // ECDSA, RSA and Ed25519 keys as cosign / sigstore-rs wrote them.
        Path keys = Path.of("/work/shared/testdata/sigstore/sigstore-rs-keys");
        for (String file : new String[] {"ecdsa_encrypted_private.key", "rsa_encrypted_private.key", "ed25519_encrypted_private.key"}) {
            RegistryRef ref = freshRef();
            Digest d = fx.pushWasm(ref, file.hashCode());
            CosignKeyPair key = CosignKeys.readPrivateKey(Files.readString(keys.resolve(file)), "123".toCharArray());
            signKeyed(ref, d, key);
            assertInstanceOf(ImageVerdict.Accepted.class, check(ref, d, keyFlag(writeKey(key))), file);
        }
    }

    @Test
    void wrongKeyIsRefusedNamingTheCheck_case19() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 2);
        signKeyed(ref, d, CosignKeys.generate());
        ImageVerdict.Refused r = refused(check(ref, d, keyFlag(writeKey(CosignKeys.generate()))));
        assertTrue(r.message().contains("SIGNATURE"), r.message());
    }

    @Test
    void missingSignatureIsRefused_case1() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 3);
        ImageVerdict.Refused r = refused(check(ref, d, keyFlag(writeKey(CosignKeys.generate()))));
        assertTrue(r.reason().contains("no signature found"), r.reason());
        assertTrue(r.reason().contains(CosignAnnotations.signatureTag(d)), r.reason());
    }

    /** Verifies {@code ref} at {@code d} with {@code v}, expecting the refusal it throws. */
    private static Qmt4jException refusal(SigstoreVerifier v, RegistryRef ref, Digest d) {
        try (RegistrySource s = fx.source(ref)) {
            return assertThrows(Qmt4jException.class, () -> v.verify(s, ref, d));
        }
    }

    /** As the plugin host hands it to the follower: the refusal as the cause of a provider's load error. */
    private static Qmt4jException named(Qmt4jException e) {
        return new Qmt4jException(e.kind(), "provider 'p' in providers.toml: " + e.getMessage(), e.hint(), e);
    }

    @Test
    void onlyAnImageWithNoSignatureIsUnsignedWhateverTheRefusalsTextSays() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 40);
        SigstoreVerifier v = verifier(identityFlags("dev@example.com", null, PolicyResolver.GITHUB_ACTIONS_ISSUER, null));
        Qmt4jException unsigned = refusal(v, ref, d);
        assertEquals(ErrorKind.VERIFICATION, unsigned.kind());
        assertTrue(SigstoreVerifier.isUnsigned(unsigned), unsigned.getMessage());
        assertTrue(SigstoreVerifier.isUnsigned(named(unsigned)), "wrapped by the host: " + unsigned.getMessage());

        // A signature whose certificate's issuer (chosen by whoever requested it) reads like the unsigned refusal:
        // the refusal lists it among the identities found, and it is still a bad signature, refused for good.
        signKeyless(ref, d, new Identity("dev@example.com", "https://accounts.google.com failed: no signature found for " + d, null));
        Qmt4jException bad = refusal(v, ref, d);
        assertTrue(bad.getMessage().contains(" failed: no signature found for " + d), bad.getMessage());
        assertFalse(SigstoreVerifier.isUnsigned(bad), bad.getMessage());
        assertFalse(SigstoreVerifier.isUnsigned(named(bad)), bad.getMessage());
        // Text alone, without the verifier's refusal, is not an unsigned image either.
        assertFalse(SigstoreVerifier.isUnsigned(new Qmt4jException(ErrorKind.VERIFICATION,
                "signature verification of " + ref.canonical() + " failed: no signature found for " + d)));
    }

    @Test
    void theRefusalKindIsSetWhereTheVerifierSeesNoSignatureAndDecidesAloneWhatIsUnsigned() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 41);
        PolicyFlags flags = identityFlags("dev@example.com", null, PolicyResolver.GITHUB_ACTIONS_ISSUER, null);
        assertEquals(ImageVerdict.RefusalKind.NO_SIGNATURE, refused(check(ref, d, flags)).kind());
        signKeyless(ref, d, new Identity("dev@example.com", "https://accounts.google.com", null));
        assertEquals(ImageVerdict.RefusalKind.NOT_SATISFIED, refused(check(ref, d, flags)).kind());
        SignatureRefusedException thrown = assertInstanceOf(SignatureRefusedException.class, refusal(verifier(flags), ref, d));
        assertEquals(ImageVerdict.RefusalKind.NOT_SATISFIED, thrown.refusal());

        // Reworded messages: the kind decides either way.
        assertTrue(SigstoreVerifier.isUnsigned(named(new SignatureRefusedException(ImageVerdict.RefusalKind.NO_SIGNATURE,
                "nothing signed " + d + " yet", null))));
        assertFalse(SigstoreVerifier.isUnsigned(named(new SignatureRefusedException(ImageVerdict.RefusalKind.NOT_SATISFIED,
                "signature verification of " + ref.canonical() + " failed: no signature found for " + d, null))));
    }

    @Test
    void payloadAlteredAfterSigningIsRefused_case12() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 4);
        CosignKeyPair key = CosignKeys.generate();
        byte[] payload = SimpleSigningPayload.create(ref.name(), d, Map.of());
        byte[] sig = LegacySignatureScheme.sign(key.privateKey(), payload);
        byte[] altered = (new String(payload, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        attach(ref, d, altered, Map.of(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(sig)));
        assertTrue(refused(check(ref, d, keyFlag(writeKey(key)))).message().contains("SIGNATURE"));
    }

    @Test
    void signatureOfAnotherDigestIsRefused_case11() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 5);
        Digest elsewhere = fx.pushWasm(freshRef(), 6);
        CosignKeyPair key = CosignKeys.generate();
        byte[] payload = SimpleSigningPayload.create(ref.name(), elsewhere, Map.of());
        byte[] sig = LegacySignatureScheme.sign(key.privateKey(), payload);
        attach(ref, d, payload, Map.of(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(sig)));
        ImageVerdict.Refused r = refused(check(ref, d, keyFlag(writeKey(key))));
        assertTrue(r.message().contains("ARTIFACT") && r.message().contains(elsewhere.toString()), r.message());
    }

    @Test
    void wrongTypeAndLooseKeysInPayloadAreRefused_cases13_14() throws Exception {
        CosignKeyPair key = CosignKeys.generate();
        Path pub = writeKey(key);
        for (String variant : new String[] {"atomic container signature", "Docker-manifest-digest", "extra", "dup"}) {
            RegistryRef ref = freshRef();
            Digest d = fx.pushWasm(ref, variant.hashCode());
            String json = new String(SimpleSigningPayload.create(ref.name(), d, Map.of()), StandardCharsets.UTF_8);
            json = switch (variant) {
                case "atomic container signature" -> json.replace(SimpleSigningPayload.TYPE, variant);
                case "Docker-manifest-digest" -> json.replace("docker-manifest-digest", variant);
                case "extra" -> json.replace("\"type\":", "\"extra\":1,\"type\":");
                default -> json.replace("\"type\":", "\"type\":\"x\",\"type\":");
            };
            byte[] payload = json.getBytes(StandardCharsets.UTF_8);
            byte[] sig = LegacySignatureScheme.sign(key.privateKey(), payload);
            attach(ref, d, payload, Map.of(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(sig)));
            assertTrue(refused(check(ref, d, keyFlag(pub))).message().contains("FORMAT"), variant);
        }
    }

    @Test
    void layersWithWrongMediaTypeOrWithoutSignatureAreIgnored_cases4_6() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 7);
        CosignKeyPair key = CosignKeys.generate();
        byte[] payload = SimpleSigningPayload.create(ref.name(), d, Map.of("n", "1"));
        attach(ref, d, payload, Map.of("other", "x")); // no signature annotation
        attach(ref, d, SimpleSigningPayload.create(ref.name(), d, Map.of("n", "2")),
                Map.of(CosignAnnotations.SIGNATURE, "not base64!!"));
        ImageVerdict.Refused r = refused(check(ref, d, keyFlag(writeKey(key))));
        assertTrue(r.message().contains("no " + CosignAnnotations.SIGNATURE + " annotation"), r.message());
        assertTrue(r.message().contains("not base64"), r.message());
        // A valid signature next to them is accepted (bad siblings are ignored).
        signKeyed(ref, d, key);
        assertInstanceOf(ImageVerdict.Accepted.class, check(ref, d, keyFlag(writeKey(key))));
    }

    @Test
    void keyedSignatureCarryingAnotherKeysCertificateIsRefused_case21() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 8);
        CosignKeyPair key = CosignKeys.generate();
        byte[] payload = SimpleSigningPayload.create(ref.name(), d, Map.of());
        byte[] sig = LegacySignatureScheme.sign(key.privateKey(), payload);
        X509Certificate other = SIGSTORE.leaf(TestSigstore.ec().getPublic(), Identity.github(QMT, "x.yml"), SIGSTORE.now);
        attach(ref, d, payload, Map.of(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(sig),
                CosignAnnotations.CERTIFICATE, TestPki.pem(other)));
        assertTrue(refused(check(ref, d, keyFlag(writeKey(key)))).message().contains("KEY"));
    }

    @Test
    void keyedWithTlogRequiredNeedsARekorEntry_case31() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 9);
        CosignKeyPair key = CosignKeys.generate();
        signKeyed(ref, d, key);
        VerifyPolicySettings s = new VerifyPolicySettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(writeKey(key).toString()), Optional.of(true), java.util.Set.of());
        SigstoreVerifier v = new SigstoreVerifier(new PolicyResolver(s, r -> Optional.empty(), PolicyFlags.none()), SIGSTORE::trustRoot);
        try (RegistrySource src = fx.source(ref)) {
            ImageVerdict.Refused r = refused(v.check(src, ref, d));
            assertTrue(r.message().contains("TLOG_ENTRY"), r.message());
        }
        // With a Rekor entry for the key, it passes.
        RegistryRef ref2 = freshRef();
        Digest d2 = fx.pushWasm(ref2, 10);
        byte[] payload = SimpleSigningPayload.create(ref2.name(), d2, Map.of());
        byte[] sig = LegacySignatureScheme.sign(key.privateKey(), payload);
        attach(ref2, d2, payload, Map.of(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(sig),
                CosignAnnotations.BUNDLE, SIGSTORE.rekorBundle(sig, CosignKeys.publicKeyPem(key.publicKey()), payload, SIGSTORE.now.getEpochSecond())));
        try (RegistrySource src = fx.source(ref2)) {
            ImageVerdict.Accepted a = assertInstanceOf(ImageVerdict.Accepted.class, v.check(src, ref2, d2));
            assertTrue(a.details().logIndex().isPresent());
        }
    }

    @Test
    void invalidRekorEntryIsRefusedEvenWhenNotRequired_case42() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 11);
        CosignKeyPair key = CosignKeys.generate();
        byte[] payload = SimpleSigningPayload.create(ref.name(), d, Map.of());
        byte[] sig = LegacySignatureScheme.sign(key.privateKey(), payload);
        long t = SIGSTORE.now.getEpochSecond();
        String bundle = SIGSTORE.rekorBundle(sig, CosignKeys.publicKeyPem(key.publicKey()), payload, t)
                .replace("\"integratedTime\":" + t, "\"integratedTime\":" + (t + 1)); // golden-vector style: time +1
        attach(ref, d, payload, Map.of(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(sig), CosignAnnotations.BUNDLE, bundle));
        ImageVerdict.Refused r = refused(check(ref, d, keyFlag(writeKey(key))));
        assertTrue(r.message().contains("TLOG_SET"), r.message());
    }

    // ------------------------------------------------------------------ bundles (referrers)

    private static void signBundle(RegistryRef ref, Digest d, CosignKeyPair key) {
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            dev.qmt4j.sigstore.cosign.BundleSigner.sign(s, t, d, key.privateKey(), key.publicKey());
        }
    }

    @Test
    void bundleReferrerIsFoundThroughTheFallbackTagAndVerifies_case2() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 40);
        CosignKeyPair key = CosignKeys.generate();
        signBundle(ref, d, key);
        PolicyFlags flags = keyFlag(writeKey(key));
        ImageVerdict.Accepted a = assertInstanceOf(ImageVerdict.Accepted.class, check(ref, d, flags));
        assertTrue(a.signature().startsWith("bundle referrer"), a.signature());
        // Evidence (index, referrer manifest, bundle) re-verifies offline; a changed bundle does not.
        SigstoreVerifier v = verifier(flags);
        VerificationEvidence evidence = verifiedEvidence(v, ref, d);
        Map<String, byte[]> bad = new HashMap<>(evidence.files());
        bad.replaceAll((k, b) -> k.startsWith("payload-") ? new byte[] {'{', '}'} : b);
        assertTrue(v.reverify(ref, d, bad).isPresent());
        // Another key: refused.
        refused(check(ref, d, keyFlag(writeKey(CosignKeys.generate()))));
    }

    @Test
    void bundleForAnotherDigestIsRefused_case15() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 41);
        Digest other = fx.pushWasm(freshRef(), 42);
        CosignKeyPair key = CosignKeys.generate();
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            dev.qmt4j.sigstore.cosign.BundleSigner.attach(s, t, d,
                    dev.qmt4j.sigstore.cosign.BundleSigner.bundle(other, key.privateKey(), key.publicKey()));
        }
        ImageVerdict.Refused r = refused(check(ref, d, keyFlag(writeKey(key))));
        assertTrue(r.message().contains("ARTIFACT"), r.message());
    }

    @Test
    void invalidBundleNextToValidLegacySignatureIsAccepted_case3() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 43);
        CosignKeyPair key = CosignKeys.generate();
        signBundle(ref, d, CosignKeys.generate()); // a bundle by someone else
        signKeyed(ref, d, key);
        ImageVerdict.Accepted a = assertInstanceOf(ImageVerdict.Accepted.class, check(ref, d, keyFlag(writeKey(key))));
        assertTrue(a.signature().startsWith("signature"), a.signature());
    }

    @Test
    void aLegacySignatureThatSatisfiesThePolicyNeedsNoBundleLookup() throws Exception {
        CosignKeyPair key = CosignKeys.generate();
        try (FaultProxy proxy = FaultProxy.to(fx.host())) {
            RegistryRef direct = freshRef();
            Digest d = fx.pushWasm(direct, 44);
            RegistryRef via = new RegistryRef(proxy.host(), direct.repository(), direct.tag(), Optional.empty());
            signLegacyFor(direct, via, d, key); // signed for the name pulled (docker-reference)
            assertInstanceOf(ImageVerdict.Accepted.class, check(via, d, keyFlag(writeKey(key))));
            assertEquals(0, proxy.requestCount(r -> bundleLookup(r.path(), d)), proxy.exchanges().toString());

            // A legacy signature that does not satisfy the policy: the bundles are looked up, and one by the key wins.
            RegistryRef other = freshRef();
            Digest d2 = fx.pushWasm(other, 45);
            RegistryRef via2 = new RegistryRef(proxy.host(), other.repository(), other.tag(), Optional.empty());
            signLegacyFor(other, via2, d2, CosignKeys.generate()); // someone else's .sig
            signBundle(other, d2, key);
            ImageVerdict.Accepted a = assertInstanceOf(ImageVerdict.Accepted.class, check(via2, d2, keyFlag(writeKey(key))));
            assertFalse(a.signature().startsWith("signature"), "accepted by the bundle: " + a.signature());
            assertTrue(proxy.requestCount(r -> bundleLookup(r.path(), d2)) > 0, proxy.exchanges().toString());
        }
    }

    /** A request of the referrers API for {@code d}, or of its referrers tag (not the legacy {@code .sig} tag). */
    private static boolean bundleLookup(String path, Digest d) {
        return path.contains("/referrers/" + d) || path.endsWith("/manifests/" + CosignAnnotations.referrersTag(d));
    }

    private static void signLegacyFor(RegistryRef pushed, RegistryRef pulledAs, Digest d, CosignKeyPair key) {
        try (RegistrySource s = fx.source(pushed); RegistryTarget t = fx.target(pushed)) {
            LegacySigner.sign(s, t, d, pulledAs.name(), key.privateKey(), Map.of());
        }
    }

    // ------------------------------------------------------------------ keyless

    @Test
    void keylessSignatureVerifiesWithIdentityLogIndexAndTime() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 20);
        Identity id = Identity.github(QMT, "publish-providers.yml");
        signKeyless(ref, d, id);
        ImageVerdict.Accepted a = assertInstanceOf(ImageVerdict.Accepted.class,
                check(ref, d, identityFlags(null, "^https://github\\.com/querymt/querymt/", PolicyResolver.GITHUB_ACTIONS_ISSUER, QMT)));
        assertEquals(id.san(), a.details().identity().orElseThrow().subject());
        assertTrue(a.details().logIndex().isPresent() && a.details().integratedTime().isPresent());
    }

    /**
     * The signer comes from the verified signature, not from the summary text: a keyed one is the key's
     * fingerprint; a certificate is its SAN and its whole issuer, even when they carry the summary's labels.
     * A cache hit re-derives it from the stored evidence, and a stored signer that differs fails the hit.
     */
    @Test
    void theSignerIsDerivedFromTheVerifiedSignatureAndRederivedFromStoredEvidence() throws Exception {
        RegistryRef keyedRef = freshRef();
        Digest kd = fx.pushWasm(keyedRef, 24);
        CosignKeyPair key = CosignKeys.generate();
        signKeyed(keyedRef, kd, key);
        SigstoreVerifier keyed = verifier(keyFlag(writeKey(key)));
        VerificationEvidence kev = verifiedEvidence(keyed, keyedRef, kd);
        Signer.Key fingerprint = new Signer.Key(CosignKeys.fingerprint(key.publicKey()));
        assertEquals(Optional.of(fingerprint), kev.signer());

        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 25);
        String issuer = PolicyResolver.GITHUB_ACTIONS_ISSUER + ", Rekor log index 1";
        String san = "https://github.com/querymt/querymt/.github/workflows/release.yml@refs/tags/v1?issuer=x,Rekor"; // a valid URI
        signKeyless(ref, d, new Identity(san, issuer, QMT));
        SigstoreVerifier v = new SigstoreVerifier(new PolicyResolver(VerifyPolicySettings.none(), r -> Optional.empty(),
                new PolicyFlags(Optional.empty(), Optional.empty(), Optional.of("^https://github\\.com/querymt/"),
                        Optional.empty(), Optional.of("^https://token\\.actions\\.githubusercontent\\.com"), Optional.empty(),
                        Optional.empty())), SIGSTORE::trustRoot);
        VerificationEvidence evidence = verifiedEvidence(v, ref, d);
        Signer.Keyless cert = new Signer.Keyless(san, Optional.of(issuer));
        assertEquals(Optional.of(cert), evidence.signer());

        // Evidence stored before signers were: the signer is re-derived.
        assertEquals(new Recheck.Holds(Optional.of(cert)), v.recheck(ref, d, new VerificationEvidence("", evidence.files())));
        assertEquals(new Recheck.Holds(Optional.of(cert)), v.recheck(ref, d, evidence));
        // A stored signer that the evidence does not prove (an altered signer.json) is not believed.
        for (Signer claimed : java.util.List.<Signer>of(new Signer.Keyless(san, Optional.of(PolicyResolver.GITHUB_ACTIONS_ISSUER)),
                fingerprint)) {
            Recheck r = v.recheck(ref, d, new VerificationEvidence("", evidence.files(), Optional.of(claimed)));
            Recheck.Fails f = assertInstanceOf(Recheck.Fails.class, r);
            assertTrue(f.why().contains("is not the one the evidence proves"), f.why());
            assertTrue(v.reverify(ref, d, new VerificationEvidence("", evidence.files(), Optional.of(claimed))).isPresent());
        }
        assertEquals(new Recheck.Holds(Optional.of(fingerprint)), keyed.recheck(keyedRef, kd, kev));
    }

    @Test
    void wrongIdentityIsRefusedShowingTheIdentityFound_case43() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 21);
        Identity id = Identity.github("acme/plugins", "release.yml");
        signKeyless(ref, d, id);
        ImageVerdict.Refused r = refused(check(ref, d, identityFlags(
                "https://github.com/acme/plugins/.github/workflows/release.yml@refs/heads/main", null, PolicyResolver.GITHUB_ACTIONS_ISSUER, null)));
        assertTrue(r.message().contains("IDENTITY"), r.message());
        assertTrue(r.message().contains(id.san()), "shows the identity found: " + r.message());
    }

    @Test
    void wrongIssuerIsRefused_case44() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 22);
        signKeyless(ref, d, new Identity("dev@example.com", "https://accounts.google.com", null));
        ImageVerdict.Refused r = refused(check(ref, d, identityFlags("dev@example.com", null, PolicyResolver.GITHUB_ACTIONS_ISSUER, null)));
        assertTrue(r.message().contains("IDENTITY") && r.message().contains("https://accounts.google.com"), r.message());
    }

    @Test
    void workflowRepositoryMismatchIsRefused_case46() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 23);
        signKeyless(ref, d, new Identity("https://github.com/querymt/querymt/.github/workflows/p.yml@refs/tags/v1",
                PolicyResolver.GITHUB_ACTIONS_ISSUER, "querymt/querymt-fork"));
        ImageVerdict.Refused r = refused(check(ref, d, identityFlags(null, "^https://github\\.com/querymt/querymt/",
                PolicyResolver.GITHUB_ACTIONS_ISSUER, QMT)));
        assertTrue(r.message().contains("querymt/querymt-fork"), r.message());
    }

    @Test
    void anchoredRegexpRejectsLookalikeRepository_case47() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 24);
        signKeyless(ref, d, new Identity("https://github.com/evil/querymt/querymt/.github/workflows/x.yml@refs/heads/main",
                PolicyResolver.GITHUB_ACTIONS_ISSUER, null));
        refused(check(ref, d, identityFlags(null, "^https://github\\.com/querymt/querymt/", PolicyResolver.GITHUB_ACTIONS_ISSUER, null)));
        // Unanchored (cosign's find() semantics) matches it: documented pitfall.
        assertInstanceOf(ImageVerdict.Accepted.class,
                check(ref, d, identityFlags(null, "querymt/querymt", PolicyResolver.GITHUB_ACTIONS_ISSUER, null)));
    }

    @Test
    void untrustedCaIsRefused_cases22_23() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 25);
        TestSigstore rogue = new TestSigstore(); // its CA, CT log and Rekor are not in SIGSTORE's trust root
        try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
            rogue.signKeyless(s, t, d, ref.name(), Identity.github(QMT, "p.yml")); // chain annotation = rogue root
        }
        ImageVerdict.Refused r = refused(check(ref, d, identityFlags(null, "^https://github\\.com/querymt/querymt/",
                PolicyResolver.GITHUB_ACTIONS_ISSUER, null)));
        assertTrue(r.message().contains("TLOG") || r.message().contains("CERTIFICATE_CHAIN"), r.message());
    }

    @Test
    void certificateTimesAreCheckedAtTheIntegratedTime_cases24_25_26() {
        Identity id = Identity.github(QMT, "p.yml");
        PolicyFlags flags = identityFlags(null, "^https://github\\.com/querymt/querymt/", PolicyResolver.GITHUB_ACTIONS_ISSUER, null);
        java.time.Instant notBefore = SIGSTORE.now.minusSeconds(20 * 3600); // expired "now", valid then
        long[][] cases = {{notBefore.getEpochSecond() + 60, 1}, {notBefore.getEpochSecond() + 3600, 0}, {notBefore.getEpochSecond() - 60, 0}};
        for (long[] c : cases) {
            RegistryRef ref = freshRef();
            Digest d = fx.pushWasm(ref, c[0]);
            try (RegistrySource s = fx.source(ref); RegistryTarget t = fx.target(ref)) {
                SIGSTORE.signKeyless(s, t, d, SimpleSigningPayload.create(ref.name(), d, Map.of()), id, notBefore, c[0]);
            }
            ImageVerdict v = check(ref, d, flags);
            if (c[1] == 1) {
                assertInstanceOf(ImageVerdict.Accepted.class, v, () -> v.toString());
            } else {
                assertTrue(refused(v).message().contains("CERTIFICATE_VALIDITY") || refused(v).message().contains("CERTIFICATE_CHAIN"),
                        refused(v).message());
            }
        }
    }

    @Test
    void keylessWithoutRekorBundleIsRefused_case31() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 26);
        KeyPair eph = TestSigstore.ec();
        byte[] payload = SimpleSigningPayload.create(ref.name(), d, Map.of());
        byte[] sig = TestSigstore.sign(eph.getPrivate(), payload);
        X509Certificate leaf = SIGSTORE.leaf(eph.getPublic(), Identity.github(QMT, "p.yml"), SIGSTORE.now);
        attach(ref, d, payload, Map.of(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(sig),
                CosignAnnotations.CERTIFICATE, TestPki.pem(leaf)));
        assertTrue(refused(check(ref, d, identityFlags(null, "querymt", PolicyResolver.GITHUB_ACTIONS_ISSUER, null)))
                .message().contains("TLOG_ENTRY"));
    }

    @Test
    void rekorEntryOfAnotherSignatureIsRefused_cases35_36_37() {
        Identity id = Identity.github(QMT, "p.yml");
        for (String tamper : new String[] {"signature", "certificate", "payload"}) {
            RegistryRef ref = freshRef();
            Digest d = fx.pushWasm(ref, tamper.hashCode());
            KeyPair eph = TestSigstore.ec();
            byte[] payload = SimpleSigningPayload.create(ref.name(), d, Map.of());
            byte[] sig = TestSigstore.sign(eph.getPrivate(), payload);
            X509Certificate leaf = SIGSTORE.leaf(eph.getPublic(), id, SIGSTORE.now);
            Map<String, String> a = new HashMap<>(SIGSTORE.annotations(sig, leaf, payload, SIGSTORE.now.getEpochSecond() + 5));
            byte[] otherSig = TestSigstore.sign(eph.getPrivate(), payload);
            String logged = switch (tamper) {
                case "signature" -> SIGSTORE.rekorBundle(otherSig, TestPki.pem(leaf), payload, SIGSTORE.now.getEpochSecond() + 5);
                case "certificate" -> SIGSTORE.rekorBundle(sig, TestPki.pem(SIGSTORE.leaf(eph.getPublic(), id, SIGSTORE.now)),
                        payload, SIGSTORE.now.getEpochSecond() + 5);
                default -> SIGSTORE.rekorBundle(sig, TestPki.pem(leaf), "other".getBytes(StandardCharsets.UTF_8),
                        SIGSTORE.now.getEpochSecond() + 5);
            };
            a.put(CosignAnnotations.BUNDLE, logged);
            attach(ref, d, payload, a);
            assertTrue(refused(check(ref, d, identityFlags(null, "querymt", PolicyResolver.GITHUB_ACTIONS_ISSUER, null)))
                    .message().contains("TLOG_BODY"), tamper);
        }
    }

    @Test
    void oneGoodSignatureAmongBadOnesIsAccepted_case49() throws Exception {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 27);
        signKeyless(ref, d, Identity.github("someone/else", "x.yml"));
        byte[] payload = SimpleSigningPayload.create(ref.name(), d, Map.of("bad", "sig"));
        KeyPair eph = TestSigstore.ec();
        byte[] sig = TestSigstore.sign(eph.getPrivate(), payload);
        Map<String, String> a = new HashMap<>(SIGSTORE.annotations(sig, SIGSTORE.leaf(eph.getPublic(), Identity.github(QMT, "p.yml"),
                SIGSTORE.now), payload, SIGSTORE.now.getEpochSecond() + 5));
        a.put(CosignAnnotations.SIGNATURE, Base64.getEncoder().encodeToString(TestSigstore.sign(TestSigstore.ec().getPrivate(), payload)));
        attach(ref, d, payload, a);
        signKeyless(ref, d, Identity.github(QMT, "publish.yml"));
        assertInstanceOf(ImageVerdict.Accepted.class, check(ref, d, identityFlags(null, "^https://github\\.com/querymt/querymt/",
                PolicyResolver.GITHUB_ACTIONS_ISSUER, QMT)));
    }

    @Test
    void constraintsSatisfiedBySeparateSignaturesAreRefused_case50() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 28);
        String san = "https://github.com/querymt/querymt/.github/workflows/p.yml@refs/tags/v1";
        signKeyless(ref, d, new Identity(san, PolicyResolver.GITHUB_ACTIONS_ISSUER, "other/repo"));
        signKeyless(ref, d, new Identity(san, "https://accounts.google.com", QMT));
        refused(check(ref, d, identityFlags(san, null, PolicyResolver.GITHUB_ACTIONS_ISSUER, QMT)));
    }

    @Test
    void noApplicablePolicyIsRefusedWithTheConfigLinesThatWouldAccept_case48() {
        RegistryRef ref = freshRef();
        Digest d = fx.pushWasm(ref, 29);
        signKeyless(ref, d, Identity.github("acme/plugins", "release.yml"));
        SigstoreVerifier v = verifier(PolicyFlags.none());
        try (RegistrySource s = fx.source(ref)) {
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> v.verify(s, ref, d));
            assertEquals(ErrorKind.VERIFICATION, e.kind());
            assertTrue(e.getMessage().contains("cert_identity_regexp = '^https://github\\.com/acme/plugins/\\.github/workflows/release\\.yml@refs/tags/v1\\.0\\.0$'"), e.getMessage());
            assertTrue(e.getMessage().contains("cert_issuer = \"" + PolicyResolver.GITHUB_ACTIONS_ISSUER + "\""), e.getMessage());
            assertTrue(e.getMessage().contains("public_key = "), e.getMessage());
        }
        // Keyless flags without an identity are a usage error.
        assertThrows(Qmt4jException.class, () -> PolicyResolver.fromFlags(identityFlags(null, null, PolicyResolver.GITHUB_ACTIONS_ISSUER, null)));
    }

    @Test
    void privateRegistryWithTokenAuthFindsTheSignatureWithTheSameCredentials() throws Exception {
        try (RegistryServer tokenRegistry = RegistryServer.start(RegistryServer.Auth.TOKEN)) {
            RegistryFixture priv = new RegistryFixture(tokenRegistry);
            RegistryRef ref = priv.ref("private/plugin", "2.0");
            Digest d = priv.pushWasm(ref, 30);
            CosignKeyPair key = CosignKeys.generate();
            try (RegistrySource s = priv.source(ref); RegistryTarget t = priv.target(ref)) {
                LegacySigner.sign(s, t, d, ref.name(), key.privateKey(), Map.of());
            }
            SigstoreVerifier v = verifier(keyFlag(writeKey(key)));
            try (RegistrySource s = priv.source(ref)) {
                assertInstanceOf(ImageVerdict.Accepted.class, v.check(s, ref, d));
            }
        }
    }

    @Test
    void builtInPolicyCoversOnlyQueryMtImages() {
        PolicyResolver r = new PolicyResolver(VerifyPolicySettings.none(), x -> Optional.empty(), PolicyFlags.none());
        PolicyDecision q = r.resolve(dev.qmt4j.oci.ImageRef.parse("ghcr.io/querymt/openai:1.0"));
        assertTrue(q instanceof PolicyDecision.Apply a && a.policy().describe().contains("querymt/querymt"), q.toString());
        assertInstanceOf(PolicyDecision.NoPolicy.class, r.resolve(dev.qmt4j.oci.ImageRef.parse("ghcr.io/acme/openai:1.0")));
        // The built-in policy accepts QueryMT's CI identity and nothing else.
        TrustRoot unused = SIGSTORE.trustRoot();
        assertTrue(unused.tlogs().size() == 1);
    }
}
