package dev.qmt4j.sigstore.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.testing.TestPki;
import dev.qmt4j.sigstore.trust.CertificateAuthority;
import dev.qmt4j.sigstore.trust.TrustRoot;
import dev.qmt4j.sigstore.trust.ValidityPeriod;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Certificate chain, validity, EKU and SCT checks (docs/verification.md, rejection cases 22-30). */
class CertificateVerifierTest {
    static final TestPki PKI = new TestPki();
    static final Instant T = Instant.parse("2024-03-01T12:05:00Z");

    VerificationException reject(TrustRoot root, TestPki.Leaf leaf, Instant t) {
        return assertThrows(VerificationException.class, () -> new CertificateVerifier(root).verify(leaf.cert(), List.of(t), true));
    }

    @Test
    void validLeafVerifiesEvenThoughItExpiredLongAgo() throws Exception {
        List<?> path = new CertificateVerifier(PKI.trustRoot()).verify(PKI.leaf().cert(), List.of(T), true);
        assertEquals(3, path.size());
    }

    @Test
    void leafFromAnotherCaIsRejectedEvenWithItsRootAround() {
        TestPki attacker = new TestPki();
        assertEquals(Check.CERTIFICATE_CHAIN, reject(PKI.trustRoot(), attacker.leaf(), T).check());
    }

    @Test
    void leafExpiredOrNotYetValidAtTheTrustedTimeIsRejected() {
        TestPki.Leaf leaf = PKI.leaf();
        assertEquals(Check.CERTIFICATE_VALIDITY, reject(PKI.trustRoot(), leaf, Instant.parse("2024-03-01T12:10:01Z")).check());
        assertEquals(Check.CERTIFICATE_VALIDITY, reject(PKI.trustRoot(), leaf, Instant.parse("2024-03-01T11:59:59Z")).check());
    }

    @Test
    void caValidityWindowExcludingTheTimeIsRejected() {
        TrustRoot root = PKI.trustRoot(new ValidityPeriod(TestPki.CA_START, Optional.of(Instant.parse("2022-12-31T00:00:00Z"))),
                ValidityPeriod.ALWAYS);
        assertEquals(Check.CERTIFICATE_CHAIN, reject(root, PKI.leaf(), T).check());
    }

    @Test
    void leafWithoutCodeSigningIsRejected() {
        TestPki.LeafSpec spec = new TestPki.LeafSpec();
        spec.codeSigning = false;
        assertEquals(Check.CERTIFICATE_USAGE, reject(PKI.trustRoot(), PKI.leaf(spec), T).check());
    }

    @Test
    void missingOrForeignOrCorruptSctIsRejected() {
        TestPki.LeafSpec none = new TestPki.LeafSpec();
        none.sct = false;
        assertEquals(Check.SCT, reject(PKI.trustRoot(), PKI.leaf(none), T).check());
        TestPki.LeafSpec wrongKey = new TestPki.LeafSpec();
        wrongKey.sctKey = TestPki.ec("secp256r1");
        assertEquals(Check.SCT, reject(PKI.trustRoot(), PKI.leaf(wrongKey), T).check());
        TrustRoot noCt = new TrustRoot("no ct", false, PKI.trustRoot().certificateAuthorities(), PKI.trustRoot().tlogs(), List.of(), List.of());
        assertEquals(Check.SCT, reject(noCt, PKI.leaf(), T).check());
    }

    @Test
    void sctCanBeSwitchedOffExplicitly() throws Exception {
        TestPki.LeafSpec none = new TestPki.LeafSpec();
        none.sct = false;
        new CertificateVerifier(PKI.trustRoot()).verify(PKI.leaf(none).cert(), List.of(T), false);
    }

    @Test
    void noTrustedTimeIsRejected() {
        VerificationException e = assertThrows(VerificationException.class,
                () -> new CertificateVerifier(PKI.trustRoot()).verify(PKI.leaf().cert(), List.of(), true));
        assertEquals(Check.TIMESTAMP, e.check());
    }

    @Test
    void selfSignedAttackerRootIsNeverAnAnchor() {
        KeyPair k = TestPki.ec("secp384r1");
        var fake = TestPki.selfSigned("CN=test-fulcio-intermediate", k);
        // a trust root that only knows the real PKI: an attacker's self-signed cert with the same name does not help
        TrustRoot root = new TrustRoot("t", false, List.of(new CertificateAuthority("x", List.of(PKI.intermediate, PKI.root),
                ValidityPeriod.ALWAYS)), List.of(), List.of(PKI.ctLog()), List.of());
        TestPki other = new TestPki();
        assertEquals(Check.CERTIFICATE_CHAIN, reject(root, other.leaf(), T).check());
        assertEquals("CN=test-fulcio-intermediate", fake.getSubjectX500Principal().getName());
    }

    @Test
    void intermediateThatDoesNotAllowCodeSigningBreaksTheChain() {
        TestPki emailOnly = new TestPki(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_emailProtection);
        assertEquals(Check.CERTIFICATE_CHAIN, reject(emailOnly.trustRoot(), emailOnly.leaf(), T).check());
    }
}
