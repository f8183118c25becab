package dev.qmt4j.sigstore.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.testing.TestPki;
import dev.qmt4j.sigstore.trust.TrustRoot;
import dev.qmt4j.sigstore.trust.ValidityPeriod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Legacy Rekor bundle annotation checks (docs/verification.md, rejection cases 31-38) and the SET golden vector. */
class RekorVerifierTest {
    static final TestPki PKI = new TestPki();
    static final long IT = Instant.parse("2024-03-01T12:05:00Z").getEpochSecond();
    final TestPki.Leaf leaf = PKI.leaf();
    final byte[] payload = "{\"critical\":{}}".getBytes(StandardCharsets.UTF_8);
    final byte[] sig = TestPki.sign("SHA256withECDSA", leaf.keys().getPrivate(), payload);

    static String golden() throws Exception {
        try (var in = RekorVerifierTest.class.getResourceAsStream("signature-spec-rekor-bundle.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void goldenVectorVerifiesWithThePublicGoodRekorKey() throws Exception {
        LegacyRekorBundle b = LegacyRekorBundle.parse(golden());
        var log = new RekorVerifier(TrustRoot.publicGood()).verifySet(b.logId(), b.bodyBytes(), b.integratedTime(), b.logIndex(),
                b.signedEntryTimestamp());
        assertEquals("https://rekor.sigstore.dev", log.baseUrl());
    }

    @Test
    void goldenVectorFailsWhenAnyFieldChanges() throws Exception {
        LegacyRekorBundle b = LegacyRekorBundle.parse(golden());
        RekorVerifier v = new RekorVerifier(TrustRoot.publicGood());
        for (long[] delta : new long[][] {{1, 0}, {-1, 0}, {0, 1}}) {
            VerificationException e = assertThrows(VerificationException.class, () -> v.verifySet(b.logId(), b.bodyBytes(),
                    b.integratedTime() + delta[0], b.logIndex() + delta[1], b.signedEntryTimestamp()));
            assertEquals(Check.TLOG_SET, e.check());
        }
    }

    String body() {
        return TestPki.hashedRekordBody(sig, leaf.pem(), payload);
    }

    byte[] der() throws Exception {
        return leaf.cert().getEncoded();
    }

    @Test
    void validBundleGivesTheIntegratedTime() throws Exception {
        LegacyRekorBundle b = LegacyRekorBundle.parse(PKI.rekorBundle(body(), IT, 42));
        assertEquals(Instant.ofEpochSecond(IT), new RekorVerifier(PKI.trustRoot()).verifyLegacyBundle(b, sig, payload, der()));
    }

    @Test
    void setFromAKeyNotInTheTrustRootIsRejected() throws Exception {
        LegacyRekorBundle b = LegacyRekorBundle.parse(PKI.rekorBundle(body(), IT, 42));
        TestPki other = new TestPki();
        VerificationException e = assertThrows(VerificationException.class,
                () -> new RekorVerifier(other.trustRoot()).verifyLegacyBundle(b, sig, payload, der()));
        assertEquals(Check.TLOG_ENTRY, e.check());
    }

    @Test
    void setSignedByAnotherKeyWithTheTrustedLogIdIsRejected() throws Exception {
        LegacyRekorBundle b = LegacyRekorBundle.parse(PKI.rekorBundle(body(), IT, 42, TestPki.ec("secp256r1").getPrivate()));
        VerificationException e = assertThrows(VerificationException.class,
                () -> new RekorVerifier(PKI.trustRoot()).verifyLegacyBundle(b, sig, payload, der()));
        assertEquals(Check.TLOG_SET, e.check());
    }

    @Test
    void rekorKeyNotYetValidAtIntegratedTimeIsRejected() throws Exception {
        LegacyRekorBundle b = LegacyRekorBundle.parse(PKI.rekorBundle(body(), IT, 42));
        TrustRoot root = PKI.trustRoot(new ValidityPeriod(TestPki.CA_START, Optional.empty()),
                new ValidityPeriod(Instant.ofEpochSecond(IT + 1), Optional.empty()));
        VerificationException e = assertThrows(VerificationException.class,
                () -> new RekorVerifier(root).verifyLegacyBundle(b, sig, payload, der()));
        assertEquals(Check.TLOG_ENTRY, e.check());
    }

    @Test
    void entryForAnotherSignatureIsRejected() throws Exception {
        byte[] otherSig = TestPki.sign("SHA256withECDSA", leaf.keys().getPrivate(), payload);
        LegacyRekorBundle b = LegacyRekorBundle.parse(PKI.rekorBundle(TestPki.hashedRekordBody(otherSig, leaf.pem(), payload), IT, 42));
        VerificationException e = assertThrows(VerificationException.class,
                () -> new RekorVerifier(PKI.trustRoot()).verifyLegacyBundle(b, sig, payload, der()));
        assertEquals(Check.TLOG_BODY, e.check());
    }

    @Test
    void entryForAnotherCertificateIsRejected() throws Exception {
        TestPki.Leaf other = PKI.leaf();
        LegacyRekorBundle b = LegacyRekorBundle.parse(PKI.rekorBundle(TestPki.hashedRekordBody(sig, other.pem(), payload), IT, 42));
        VerificationException e = assertThrows(VerificationException.class,
                () -> new RekorVerifier(PKI.trustRoot()).verifyLegacyBundle(b, sig, payload, der()));
        assertEquals(Check.TLOG_BODY, e.check());
    }

    @Test
    void entryForAnotherPayloadIsRejected() throws Exception {
        LegacyRekorBundle b = LegacyRekorBundle.parse(PKI.rekorBundle(TestPki.hashedRekordBody(sig, leaf.pem(), "x".getBytes()), IT, 42));
        VerificationException e = assertThrows(VerificationException.class,
                () -> new RekorVerifier(PKI.trustRoot()).verifyLegacyBundle(b, sig, payload, der()));
        assertEquals(Check.TLOG_BODY, e.check());
    }

    @Test
    void dsseKindOnALegacyLayerIsRejected() throws Exception {
        String body = java.util.Base64.getEncoder().encodeToString(
                "{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{}}".getBytes(StandardCharsets.UTF_8));
        LegacyRekorBundle b = LegacyRekorBundle.parse(PKI.rekorBundle(body, IT, 42));
        VerificationException e = assertThrows(VerificationException.class,
                () -> new RekorVerifier(PKI.trustRoot()).verifyLegacyBundle(b, sig, payload, der()));
        assertEquals(Check.TLOG_BODY, e.check());
    }

    @Test
    void malformedAnnotationsAreFormatErrors() {
        for (String s : new String[] {"", "[]", "{\"SignedEntryTimestamp\":\"AA==\"}",
                "{\"SignedEntryTimestamp\":\"AA==\",\"Payload\":{\"body\":{},\"integratedTime\":1,\"logIndex\":1,\"logID\":\"" + "0".repeat(64) + "\"}}",
                "{\"SignedEntryTimestamp\":\"AA==\",\"Payload\":{\"body\":\"AA==\",\"integratedTime\":-1,\"logIndex\":1,\"logID\":\"" + "0".repeat(64) + "\"}}",
                "{\"SignedEntryTimestamp\":\"AA==\",\"Payload\":{\"body\":\"AA==\",\"integratedTime\":1,\"logIndex\":1,\"logID\":\"XYZ\"}}",
                "{\"signedEntryTimestamp\":\"AA==\",\"payload\":{\"body\":\"AA==\",\"integratedTime\":1,\"logIndex\":1,\"logID\":\"" + "0".repeat(64) + "\"}}"}) {
            VerificationException e = assertThrows(VerificationException.class, () -> LegacyRekorBundle.parse(s), s);
            assertEquals(Check.FORMAT, e.check());
        }
    }

    @Test
    void setPayloadIsCanonicalJson() {
        assertEquals("{\"body\":\"Ym9keQ==\",\"integratedTime\":5,\"logID\":\"ab\",\"logIndex\":7}",
                new String(RekorVerifier.setPayload("Ym9keQ==", 5, "ab", 7), StandardCharsets.UTF_8));
        assertEquals(32, Keys.sha256(new byte[0]).length);
    }
}
