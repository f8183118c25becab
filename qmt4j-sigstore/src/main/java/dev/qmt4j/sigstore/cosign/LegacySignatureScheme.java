package dev.qmt4j.sigstore.cosign;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * The signature scheme of a legacy cosign signature, inferred from the key (no algorithm travels
 * with the signature): ECDSA with SHA-256 and a DER signature for every curve (cosign's legacy
 * path always hashes with SHA-256, even for P-384), RSA PKCS#1 v1.5 with SHA-256, and pure Ed25519.
 */
public final class LegacySignatureScheme {
    private LegacySignatureScheme() {}

    /** The JCA signature algorithm for {@code key}. */
    public static String algorithm(Key key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
        };
    }

    /** Signs {@code message} (the payload blob bytes). */
    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance(algorithm(key));
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is a valid signature of {@code message} by {@code key}; never throws on bad input. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(algorithm(key));
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
