package dev.qmt4j.sigstore.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.sigstore.testing.TestPki;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

/** Signature schemes per cosign's signature spec (docs/verification.md, rejection cases 19-21). */
class KeysTest {
    static final byte[] M = "payload".getBytes();

    @Test
    void p384LegacyIsAlwaysSha256() {
        KeyPair k = TestPki.ec("secp384r1");
        assertTrue(Keys.verifyLegacy(k.getPublic(), M, TestPki.sign("SHA256withECDSA", k.getPrivate(), M)));
        assertFalse(Keys.verifyLegacy(k.getPublic(), M, TestPki.sign("SHA384withECDSA", k.getPrivate(), M)));
    }

    @Test
    void p384BundleAcceptsSha384AndSha256FallbackButNotSha512() {
        KeyPair k = TestPki.ec("secp384r1");
        assertTrue(Keys.verify(k.getPublic(), M, TestPki.sign("SHA384withECDSA", k.getPrivate(), M)));
        assertTrue(Keys.verify(k.getPublic(), M, TestPki.sign("SHA256withECDSA", k.getPrivate(), M)));
        assertFalse(Keys.verify(k.getPublic(), M, TestPki.sign("SHA512withECDSA", k.getPrivate(), M)));
    }

    @Test
    void ed25519AndRsaVerify() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertTrue(Keys.verifyLegacy(ed.getPublic(), M, TestPki.sign("Ed25519", ed.getPrivate(), M)));
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair rsa = g.generateKeyPair();
        byte[] sig = TestPki.sign("SHA256withRSA", rsa.getPrivate(), M);
        assertTrue(Keys.verifyLegacy(rsa.getPublic(), M, sig));
        assertTrue(Keys.verifyPrehashed(rsa.getPublic(), "SHA-256", Keys.sha256(M), sig));
        assertEquals("RSA", Keys.publicKey(rsa.getPublic().getEncoded()).getAlgorithm());
        assertTrue(Keys.isEd25519(Keys.publicKey(ed.getPublic().getEncoded())));
    }

    @Test
    void flippedSignatureOrOtherKeyFails() {
        KeyPair k = TestPki.ec("secp256r1");
        byte[] sig = TestPki.sign("SHA256withECDSA", k.getPrivate(), M);
        byte[] bad = sig.clone();
        bad[bad.length - 1] ^= 1;
        assertFalse(Keys.verifyLegacy(k.getPublic(), M, bad));
        assertFalse(Keys.verifyLegacy(TestPki.ec("secp256r1").getPublic(), M, sig));
        assertTrue(Keys.verifyPrehashed(k.getPublic(), "SHA-256", Keys.sha256(M), sig));
    }

    @Test
    void garbageKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Keys.publicKey(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Keys.publicKeyPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
        assertThrows(IllegalArgumentException.class, () -> Pem.blocks("junk -----BEGIN X-----\nAA==\n-----END X-----\n"));
    }
}
