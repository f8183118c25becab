package dev.qmt4j.sigstore.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.policy.VerificationPolicy;
import dev.qmt4j.sigstore.policy.VerificationResult;
import dev.qmt4j.sigstore.testing.TestPki;
import dev.qmt4j.sigstore.tlog.Merkle;
import dev.qmt4j.sigstore.tlog.RekorVerifier;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Bundles are proto3 JSON, where a field holding its default value (0, "", empty list, empty
 * message) is left out: the first entry of a fresh log has log index 0 and, in a tree of one, an
 * inclusion proof without hashes. Such a bundle, as sigstore-js writes it, must verify; fields the
 * specification requires must still be refused, by name, when they are really absent.
 */
class Proto3DefaultsTest {
    static final TestPki PKI = new TestPki();
    static final byte[] ARTIFACT = "hello, fresh log\n".getBytes(StandardCharsets.UTF_8);
    static final Base64.Encoder B64 = Base64.getEncoder();

    final KeyPair signer = TestPki.ec("secp256r1");

    /** A keyed v0.3 bundle logged as entry 0 of a one-entry Rekor v1 tree, written as proto3 JSON (defaults left out). */
    String freshLogBundle() {
        byte[] sig = TestPki.sign("SHA256withECDSA", signer.getPrivate(), ARTIFACT);
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(signer.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        String bodyB64 = TestPki.hashedRekordBody(sig, pem, ARTIFACT);
        byte[] body = Base64.getDecoder().decode(bodyB64);
        long it = Instant.now().getEpochSecond() - 60;
        byte[] logId = Keys.sha256Spki(PKI.rekorKey.getPublic());
        byte[] set = TestPki.sign("SHA256withECDSA", PKI.rekorKey.getPrivate(),
                RekorVerifier.setPayload(bodyB64, it, HexFormat.of().formatHex(logId), 0));
        byte[] root = Merkle.leafHash(body);
        String note = "rekor.test - 1193050959916656506\n1\n" + B64.encodeToString(root) + "\n";
        byte[] noteSig = TestPki.sign("SHA256withECDSA", PKI.rekorKey.getPrivate(), note.getBytes(StandardCharsets.UTF_8));
        byte[] hinted = new byte[4 + noteSig.length];
        System.arraycopy(logId, 0, hinted, 0, 4);
        System.arraycopy(noteSig, 0, hinted, 4, noteSig.length);
        String checkpoint = note + "\n\u2014 rekor.test " + B64.encodeToString(hinted) + "\n";
        // No "logIndex" (entry and proof), no "hashes", an empty publicKey message: all proto3 defaults.
        return """
                {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
                 "verificationMaterial": {"publicKey": {},
                  "tlogEntries": [{"logId": {"keyId": "%s"}, "kindVersion": {"kind": "hashedrekord", "version": "0.0.1"},
                    "integratedTime": "%d", "inclusionPromise": {"signedEntryTimestamp": "%s"},
                    "inclusionProof": {"rootHash": "%s", "treeSize": "1", "checkpoint": {"envelope": %s}},
                    "canonicalizedBody": "%s"}]},
                 "messageSignature": {"messageDigest": {"algorithm": "SHA2_256", "digest": "%s"}, "signature": "%s"}}
                """.formatted(B64.encodeToString(logId), it, B64.encodeToString(set), B64.encodeToString(root),
                jsonString(checkpoint), bodyB64, B64.encodeToString(Keys.sha256(ARTIFACT)), B64.encodeToString(sig));
    }

    static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    VerificationResult verify(String bundle) {
        TrustRoot trust = PKI.trustRoot();
        return new BundleVerifier(trust).verify(bundle.getBytes(StandardCharsets.UTF_8), Artifact.ofBytes(ARTIFACT),
                new VerificationPolicy.Keyed(signer.getPublic(), true));
    }

    @Test
    void firstEntryOfAFreshLogWithDefaultsLeftOutVerifies() {
        VerificationResult r = verify(freshLogBundle());
        var d = assertInstanceOf(VerificationResult.Verified.class, r, r::toString).details();
        assertEquals(0L, d.logIndex().orElseThrow());
    }

    @Test
    void explicitDefaultsAreTheSameAsLeftOut() {
        String b = freshLogBundle().replace("\"logId\":", "\"logIndex\": \"0\", \"logId\":")
                .replace("\"treeSize\": \"1\"", "\"treeSize\": \"1\", \"logIndex\": 0, \"hashes\": []");
        assertTrue(verify(b).isVerified(), () -> verify(b).toString());
    }

    @Test
    void requiredFieldsThatAreReallyAbsentAreNamed() {
        String b = freshLogBundle();
        assertAbsent(b.replaceFirst("\"canonicalizedBody\": \"[^\"]*\"", "\"canonicalizedBody\": \"\""), "tlogEntries.canonicalizedBody");
        assertAbsent(b.replaceFirst("\"logId\": \\{[^}]*\\}, ", ""), "tlogEntries.logId");
        assertAbsent(b.replaceFirst("\"kindVersion\": \\{[^}]*\\},\\s*", ""), "tlogEntries.kindVersion");
        assertAbsent(b.replaceFirst("\"kind\": \"hashedrekord\", ", ""), "tlogEntries.kindVersion.kind");
        assertAbsent(b.replaceFirst("\"rootHash\": \"[^\"]*\", ", ""), "inclusionProof.rootHash");
        assertAbsent(b.replaceFirst(", \"signature\": \"[^\"]*\"", ""), "messageSignature.signature");
        assertAbsent(b.replaceFirst("\"inclusionPromise\": \\{\"signedEntryTimestamp\": \"[^\"]*\"\\}", "\"inclusionPromise\": {}"),
                "inclusionPromise.signedEntryTimestamp");
        // Wrong types are still refused, not read as defaults.
        assertAbsent(b.replace("\"treeSize\": \"1\"", "\"treeSize\": \"1\", \"logIndex\": \"x\""), "inclusionProof.logIndex");
    }

    private static void assertAbsent(String bundle, String field) {
        assertTrue(!Arrays.equals(bundle.getBytes(), new byte[0]));
        VerificationException e = assertThrows(VerificationException.class, () -> BundleParser.parse(bundle.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Check.FORMAT, e.check());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}
