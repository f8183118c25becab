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

    /**
     * Random byte flips and truncations never make the verifier throw, and a mutation it still verifies proves the
     * same thing: the same signer, log entry and time. Such mutations exist and are harmless: whitespace between
     * tokens, the unused pad bits of a base64 string (below), or a flip in the optional, informational
     * {@code messageDigest} key's name (protobuf-specs: clients must not use it to verify), which drops it. What must
     * never happen is a mutation that verifies as someone else, or as another entry.
     */
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
        BundleVerifier verifier = new BundleVerifier(TrustRoot.publicGood());
        VerificationPolicy policy = VerificationPolicy.keyless(IdentityPolicy.exact(ID, ISS));
        VerificationResult r = verifier.verify(m, Artifact.ofBytes(aTxt()), policy);
        assertNotNull(r);
        if (r instanceof VerificationResult.Verified v) {
            var original = assertInstanceOf(VerificationResult.Verified.class, verifier.verify(b, Artifact.ofBytes(aTxt()), policy));
            assertEquals(original.details(), v.details(), "a mutation at byte " + p + " verified as something else");
        }
    }

    @Test
    void aFlipOfABase64PadBitIsTheSameBundleAndAnyOtherFlipIsNot() throws Exception {
        byte[] b = bundle("happy-path-v0.3");
        String json = new String(b, StandardCharsets.UTF_8);
        int pad = json.indexOf("=\"");               // the first base64 string with one "=" of padding
        while (json.charAt(pad - 1) == '=') {
            pad = json.indexOf("=\"", pad + 1);
        }
        int last = pad - 1;                           // its last character: its two low bits are unused
        byte[] unused = b.clone();
        unused[last] ^= 1;
        assertTrue(sameBase64Bytes(b, unused, last), "the same bytes after decoding");
        byte[] used = b.clone();
        used[last] ^= 0x10;
        assertTrue(!sameBase64Bytes(b, used, last), "a used bit changes the bytes");
        BundleVerifier verifier = new BundleVerifier(TrustRoot.publicGood());
        VerificationPolicy policy = VerificationPolicy.keyless(IdentityPolicy.exact(ID, ISS));
        assertTrue(verifier.verify(unused, Artifact.ofBytes(aTxt()), policy).isVerified(), "what is signed is unchanged");
        assertTrue(!verifier.verify(used, Artifact.ofBytes(aTxt()), policy).isVerified(), "a changed value is refused");
    }

    /** Whether {@code mutated} differs from {@code original} at {@code pos} only inside a JSON string that decodes to the same bytes. */
    private static boolean sameBase64Bytes(byte[] original, byte[] mutated, int pos) {
        int open = pos;
        while (open > 0 && original[open - 1] != '"') {
            open--;
        }
        int close = pos;
        while (close < original.length && original[close] != '"') {
            close++;
        }
        if (open == 0 || close >= original.length || open > pos) {
            return false;
        }
        String before = new String(original, open, close - open, StandardCharsets.US_ASCII);
        String after = new String(mutated, open, close - open, StandardCharsets.US_ASCII);
        try {
            return java.util.Arrays.equals(java.util.Base64.getDecoder().decode(before), java.util.Base64.getDecoder().decode(after));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
