package dev.qmt4j.sigstore.cosign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.sigstore.certs.Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real cosign / sigstore-rs key files from the shared test data, and our own round trip. */
class CosignKeysTest {
    static final Path KEYS = Path.of("/work/shared/testdata/sigstore/sigstore-rs-keys");

    @ParameterizedTest
    @CsvSource({
            "cosign_generated_encrypted_empty_private.key,'',EC",
            "ecdsa_encrypted_private.key,123,EC",
            "ed25519_encrypted_private.key,123,Ed25519",
            "rsa_encrypted_private.key,123,RSA",
            "ECDSA_P256_ASN1_ENCRYPTED_PRIVATE_PEM.key,password,EC"})
    void realKeysDecryptAndSign(String file, String password, String family) throws Exception {
        CosignKeyPair pair = CosignKeys.readPrivateKey(Files.readString(KEYS.resolve(file)), password.toCharArray());
        assertTrue(pair.privateKey().getAlgorithm().equals(family)
                || (family.equals("Ed25519") && pair.privateKey().getAlgorithm().equals("EdDSA")), pair.privateKey().getAlgorithm());
        if (pair.publicKey() instanceof ECPublicKey ec) {
            assertEquals("P-256", CosignKeys.curveName(ec));
        }
        byte[] msg = "payload".getBytes(StandardCharsets.UTF_8);
        byte[] sig = LegacySignatureScheme.sign(pair.privateKey(), msg);
        assertTrue(Keys.verifyLegacy(pair.publicKey(), msg, sig), "signature verifies with the derived public key");
        // The public key PEM round-trips.
        assertArrayEquals(pair.publicKey().getEncoded(),
                CosignKeys.readPublicKey(CosignKeys.publicKeyPem(pair.publicKey())).getEncoded());
    }

    @ParameterizedTest
    @CsvSource({"ecdsa_encrypted_private.key,1234", "rsa_encrypted_private.key,''", "ed25519_encrypted_private.key,password",
            "cosign_generated_encrypted_empty_private.key,x"})
    void wrongPasswordIsRefused(String file, String password) throws Exception {
        Qmt4jException e = assertThrows(Qmt4jException.class,
                () -> CosignKeys.readPrivateKey(Files.readString(KEYS.resolve(file)), password.toCharArray()));
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    }

    @Test
    void writtenKeysReadBackWithTheirPasswordOnly() {
        CosignKeyPair pair = CosignKeys.generate();
        String pem = CosignKeys.writePrivateKey(pair.privateKey(), "s3cret".toCharArray(), new ScryptParams(1024, 8, 1));
        assertTrue(pem.startsWith("-----BEGIN " + CosignKeys.SIGSTORE_PRIVATE + "-----\n"), pem);
        CosignKeyPair back = CosignKeys.readPrivateKey(pem, "s3cret".toCharArray());
        assertArrayEquals(pair.publicKey().getEncoded(), back.publicKey().getEncoded());
        assertThrows(Qmt4jException.class, () -> CosignKeys.readPrivateKey(pem, "s3cre".toCharArray()));
    }

    @Test
    void defaultWriteUsesCosignScryptCost() {
        String pem = CosignKeys.writePrivateKey(CosignKeys.generate().privateKey(), new char[0]);
        String json = new String(dev.qmt4j.sigstore.certs.Pem.blocks(pem).get(0).der(), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":65536,\"r\":8,\"p\":1},\"salt\":\""), json);
        assertTrue(json.contains("\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\""), json);
    }

    @Test
    void tamperedCiphertextIsRefused() throws Exception {
        String pem = CosignKeys.writePrivateKey(CosignKeys.generate().privateKey(), "p".toCharArray(), new ScryptParams(1024, 8, 1));
        byte[] json = dev.qmt4j.sigstore.certs.Pem.blocks(pem).get(0).der();
        String s = new String(json, StandardCharsets.UTF_8);
        int i = s.indexOf("\"ciphertext\":\"") + 14;
        char c = s.charAt(i);
        String flipped = s.substring(0, i) + (c == 'A' ? 'B' : 'A') + s.substring(i + 1);
        String bad = dev.qmt4j.sigstore.certs.Pem.encode(CosignKeys.SIGSTORE_PRIVATE, flipped.getBytes(StandardCharsets.UTF_8));
        assertThrows(Qmt4jException.class, () -> CosignKeys.readPrivateKey(bad, "p".toCharArray()));
    }

    @Test
    void unsupportedPublicKeysAndJunkAreRefused() {
        assertThrows(Qmt4jException.class, () -> CosignKeys.readPublicKey("not a key"));
        assertThrows(Qmt4jException.class, () -> CosignKeys.readPublicKey(
                dev.qmt4j.sigstore.certs.Pem.encode("PUBLIC KEY", new byte[] {1, 2, 3})));
        assertThrows(Qmt4jException.class, () -> CosignKeys.readPublicKey(
                dev.qmt4j.sigstore.certs.Pem.encode("CERTIFICATE", new byte[] {1, 2, 3})));
    }
}
