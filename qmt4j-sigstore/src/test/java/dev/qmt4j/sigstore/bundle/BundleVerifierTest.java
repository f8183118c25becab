package dev.qmt4j.sigstore.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.IdentityPolicy;
import dev.qmt4j.sigstore.policy.VerificationPolicy;
import dev.qmt4j.sigstore.policy.VerificationResult;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** BundleVerifier behaviour beyond the conformance suite. */
class BundleVerifierTest {
    static final String ID = ConformanceCases.DEFAULT_IDENTITY;
    static final String ISS = ConformanceCases.DEFAULT_ISSUER;

    static byte[] bundle(String c) throws Exception {
        return Files.readAllBytes(ConformanceCases.root().resolve(c).resolve("bundle.sigstore.json"));
    }

    static byte[] aTxt() throws Exception {
        return Files.readAllBytes(ConformanceCases.root().resolve("a.txt"));
    }

    @Test
    void verifiedDetailsNameSignerLogIndexAndTime() throws Exception {
        VerificationResult r = new BundleVerifier(TrustRoot.publicGood()).verify(bundle("happy-path-v0.3"),
                Artifact.ofBytes(aTxt()), VerificationPolicy.keyless(IdentityPolicy.exact(ID, ISS)));
        var d = assertInstanceOf(VerificationResult.Verified.class, r).details();
        assertEquals(ID, d.identity().get().subject());
        assertTrue(d.logIndex().isPresent() && d.integratedTime().isPresent());
    }

    @Test
    void digestArtifactVerifiesLikeTheBytes() throws Exception {
        String digest = "sha256:" + HexFormat.of().formatHex(Keys.sha256(aTxt()));
        VerificationResult r = new BundleVerifier(TrustRoot.publicGood()).verify(bundle("happy-path-v0.3"),
                Artifact.ofDigest(digest), VerificationPolicy.keyless(IdentityPolicy.exact(ID, ISS)));
        assertTrue(r.isVerified(), r::toString);
    }

    @Test
    void dsseSubjectMustMatchTheArtifact() throws Exception {
        VerificationResult r = new BundleVerifier(TrustRoot.publicGood()).verify(bundle("happy-path-intoto-in-dsse-v3"),
                Artifact.ofBytes("something else".getBytes()), VerificationPolicy.keyless(IdentityPolicy.exact(ID, ISS)));
        assertEquals(Check.ARTIFACT, assertInstanceOf(VerificationResult.Rejected.class, r).check());
    }

    @Test
    void wrongIdentityRejectionListsTheIdentityFound() throws Exception {
        VerificationResult r = new BundleVerifier(TrustRoot.publicGood()).verify(bundle("happy-path-v0.3"),
                Artifact.ofBytes(aTxt()), VerificationPolicy.keyless(IdentityPolicy.exact(ID.replace("main", "evil"), ISS)));
        var rej = assertInstanceOf(VerificationResult.Rejected.class, r);
        assertEquals(Check.IDENTITY, rej.check());
        assertEquals(ID, rej.identitiesFound().get(0).subject());
    }

    @Test
    void keyedPolicyRefusesACertificateWithAnotherKey() throws Exception {
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        VerificationResult r = new BundleVerifier(TrustRoot.publicGood()).verify(bundle("happy-path-v0.3"),
                Artifact.ofBytes(aTxt()), VerificationPolicy.keyed(other.getPublic()));
        assertEquals(Check.KEY, assertInstanceOf(VerificationResult.Rejected.class, r).check());
    }

    @Test
    void duplicateTlogEntriesAreRejected() throws Exception {
        String json = new String(bundle("happy-path-v0.3"), StandardCharsets.UTF_8);
        int start = json.indexOf("\"tlogEntries\": [") + "\"tlogEntries\": [".length();
        int end = json.indexOf("}]", start) + 1;
        assertTrue(start > 20 && end > start, "fixture layout");
        String entry = json.substring(start, end);
        String dup = json.substring(0, end) + ", " + entry + json.substring(end);
        VerificationResult r = new BundleVerifier(TrustRoot.publicGood()).verify(dup.getBytes(StandardCharsets.UTF_8),
                Artifact.ofBytes(aTxt()), VerificationPolicy.keyless(IdentityPolicy.exact(ID, ISS)));
        assertEquals(Check.TLOG_ENTRY, assertInstanceOf(VerificationResult.Rejected.class, r).check(), r::toString);
    }

    @Test
    void invalidEntryFailsEvenWhenTlogIsNotRequired() throws Exception {
        VerificationResult r = new BundleVerifier(TrustRoot.publicGood()).verify(bundle("set-invalid-signature_fail"),
                Artifact.ofBytes(aTxt()), new VerificationPolicy.Keyless(IdentityPolicy.exact(ID, ISS), true, false));
        assertEquals(Check.TLOG_SET, assertInstanceOf(VerificationResult.Rejected.class, r).check());
    }

    /** Random byte flips and truncations never make the verifier throw, and never verify. */
    @Property(tries = 150)
    void mutatedBundlesAreRejectedWithoutExceptions(@ForAll @IntRange(min = 0, max = 100000) int pos,
            @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll boolean truncate) throws Exception {
        byte[] b = bundle("happy-path-v0.3");
        byte[] m;
        int p = pos % b.length;
        if (truncate) {
            m = java.util.Arrays.copyOf(b, p);
        } else {
            m = b.clone();
            m[p] ^= (byte) xor;
        }
        VerificationResult r = new BundleVerifier(TrustRoot.publicGood()).verify(m, Artifact.ofBytes(aTxt()),
                VerificationPolicy.keyless(IdentityPolicy.exact(ID, ISS)));
        assertNotNull(r);
        if (r.isVerified()) {
            // only changes the JSON parser ignores (whitespace between tokens) may keep it valid
            String s = new String(m, StandardCharsets.UTF_8);
            assertTrue(new String(b, StandardCharsets.UTF_8).replaceAll("\\s", "").equals(s.replaceAll("\\s", "")), "verified a changed bundle");
        }
    }
}
