package dev.qmt4j.sigstore.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Public keys parsed with the JDK alone: the same keys and the same refusals as before. */
class CosignPublicKeysTest {

    private static PublicKey ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair().getPublic();
    }

    private static PublicKey of(String alg, int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        if (bits > 0) {
            g.initialize(bits);
        }
        return g.generateKeyPair().getPublic();
    }

    @Test
    void readsEverySupportedKeyBackFromItsPem() throws Exception {
        for (PublicKey key : new PublicKey[] {ec("secp256r1"), ec("secp384r1"), ec("secp521r1"), of("RSA", 2048), of("Ed25519", 0)}) {
            PublicKey read = CosignPublicKeys.readPublicKey(CosignPublicKeys.publicKeyPem(key));
            assertEquals(key, read, key.getAlgorithm());
            assertEquals(CosignPublicKeys.fingerprint(key), CosignPublicKeys.fingerprint(read));
            assertEquals(key, CosignKeys.readPublicKey(CosignKeys.publicKeyPem(key)), "CosignKeys delegates");
        }
    }

    @Test
    void namesTheAlgorithmOfTheKey() throws Exception {
        assertEquals(CosignPublicKeys.EC, CosignPublicKeys.algorithmOid(ec("secp256r1").getEncoded()));
        assertEquals(CosignPublicKeys.RSA, CosignPublicKeys.algorithmOid(of("RSA", 2048).getEncoded()));
        assertEquals(CosignPublicKeys.ED25519, CosignPublicKeys.algorithmOid(of("Ed25519", 0).getEncoded()));
        assertEquals("1.3.101.110", CosignPublicKeys.algorithmOid(of("X25519", 0).getEncoded()));
    }

    @Test
    void refusesOtherAlgorithmsNamingTheirOid() throws Exception {
        String pem = CosignPublicKeys.publicKeyPem(of("X25519", 0));
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> CosignPublicKeys.readPublicKey(pem));
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("unsupported public key algorithm 1.3.101.110"), e.getMessage());
    }

    @Test
    void refusesMalformedInputWithAConfigError() throws Exception {
        byte[] good = ec("secp256r1").getEncoded();
        byte[][] bad = {new byte[0], {0x30}, {0x30, 0x05, 0x30, 0x03, 0x06, 0x01}, Arrays.copyOf(good, good.length - 1),
                Arrays.copyOf(good, good.length + 1), "not der".getBytes(java.nio.charset.StandardCharsets.US_ASCII)};
        for (byte[] der : bad) {
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> CosignPublicKeys.publicKeyFromSpki(der));
            assertEquals(ErrorKind.CONFIG, e.kind());
            assertTrue(e.getMessage().startsWith("invalid cosign key: "), e.getMessage());
        }
        String wrongType = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(good) + "\n-----END PRIVATE KEY-----\n";
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> CosignPublicKeys.readPublicKey(wrongType));
        assertTrue(e.getMessage().contains("PEM type is PRIVATE KEY"), e.getMessage());
        String two = CosignPublicKeys.publicKeyPem(ec("secp256r1")) + CosignPublicKeys.publicKeyPem(ec("secp256r1"));
        e = assertThrows(Qmt4jException.class, () -> CosignPublicKeys.readPublicKey(two));
        assertTrue(e.getMessage().contains("exactly one PEM block, found 2"), e.getMessage());
    }
}
