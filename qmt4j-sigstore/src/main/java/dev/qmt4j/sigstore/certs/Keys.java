package dev.qmt4j.sigstore.certs;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;

/**
 * Public-key decoding and signature verification for the key families Sigstore uses: ECDSA
 * (P-256/P-384/P-521, DER signatures), RSA PKCS#1 v1.5 and Ed25519. The hash is never guessed
 * from the signature: callers pick the rule ({@link #verifyLegacy}, {@link #verify} with the key's
 * default hash, or {@link #verifyPrehashed} for a digest).
 */
public final class Keys {
    private Keys() {}

    /**
     * Parses a DER SubjectPublicKeyInfo (EC, RSA or Ed25519).
     *
     * @throws IllegalArgumentException if the bytes are not a supported public key
     */
    public static PublicKey publicKey(byte[] spkiDer) {
        for (String alg : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spkiDer));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next family
            }
        }
        throw new IllegalArgumentException("not a supported public key (ECDSA, RSA or Ed25519 SPKI)");
    }

    /**
     * Parses a PKCS#1 {@code RSAPublicKey} (modulus, exponent), as trust roots store
     * {@code PKCS1_RSA_*} keys.
     *
     * @throws IllegalArgumentException if malformed
     */
    public static PublicKey rsaPkcs1PublicKey(byte[] der) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(Bc.rsaPkcs1(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid PKCS#1 RSA public key");
        }
    }

    /** Parses a single PEM {@code PUBLIC KEY} block. */
    public static PublicKey publicKeyPem(String pem) {
        List<byte[]> keys = Pem.publicKeysDer(pem);
        if (keys.size() != 1) {
            throw new IllegalArgumentException("expected exactly one PEM public key, found " + keys.size());
        }
        return publicKey(keys.get(0));
    }

    /** sha256 of the DER SubjectPublicKeyInfo: the Rekor v1 / CT log ID of a key. */
    public static byte[] sha256Spki(PublicKey key) {
        return sha256(key.getEncoded());
    }

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        return digest("SHA-256", data);
    }

    /** Digest with a JCA algorithm name ("SHA-256", "SHA-384", "SHA-512"). */
    public static byte[] digest(String alg, byte[] data) {
        try {
            return MessageDigest.getInstance(alg).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key's default hash: SHA-384 for P-384, SHA-512 for P-521, else SHA-256 (JCA name). */
    public static String defaultHash(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits > 384 ? "SHA-512" : bits > 256 ? "SHA-384" : "SHA-256";
        }
        return "SHA-256";
    }

    /**
     * Verifies {@code sig} over {@code message} with the key's default scheme (ECDSA with the
     * curve's hash, RSA PKCS#1 v1.5 SHA-256, pure Ed25519); for P-384/P-521 keys, falls back to
     * SHA-256 as sigstore-go does for bundles up to v0.3 ("signatures made by old clients").
     */
    public static boolean verify(PublicKey key, byte[] message, byte[] sig) {
        String hash = defaultHash(key);
        if (verifyWith(key, hash, message, sig)) {
            return true;
        }
        return key instanceof ECPublicKey && !hash.equals("SHA-256") && verifyWith(key, "SHA-256", message, sig);
    }

    /**
     * Verifies a legacy cosign signature: SHA-256 for ECDSA (any curve) and RSA PKCS#1 v1.5, pure
     * Ed25519. This is cosign's rule for {@code .sig} layers.
     */
    public static boolean verifyLegacy(PublicKey key, byte[] message, byte[] sig) {
        return verifyWith(key, "SHA-256", message, sig);
    }

    /**
     * Verifies {@code sig} over a message known only by its digest ({@code hashAlg} = "SHA-256",
     * "SHA-384" or "SHA-512"): ECDSA and RSA PKCS#1 v1.5 over the digest, Ed25519ph for Ed25519.
     */
    public static boolean verifyPrehashed(PublicKey key, String hashAlg, byte[] digest, byte[] sig) {
        try {
            if (key instanceof ECPublicKey) {
                Signature s = Signature.getInstance("NONEwithECDSA");
                s.initVerify(key);
                s.update(digest);
                return s.verify(sig);
            }
            if (key instanceof RSAPublicKey) {
                Signature s = Signature.getInstance("NONEwithRSA");
                s.initVerify(key);
                s.update(Bc.digestInfo(hashAlg, digest));
                return s.verify(sig);
            }
            if (isEd25519(key)) {
                if (!hashAlg.equals("SHA-512")) {
                    return false;
                }
                return verifyEd25519ph(rawEd25519(key), digest, sig);
            }
            return false;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean verifyEd25519ph(byte[] raw, byte[] prehash, byte[] sig) {
        if (sig.length != 64) {
            return false;
        }
        return Bc.ed25519ph(raw, prehash, sig);
    }

    private static boolean verifyWith(PublicKey key, String hash, byte[] message, byte[] sig) {
        try {
            String alg;
            if (key instanceof ECPublicKey) {
                alg = hash.replace("-", "") + "withECDSA";
            } else if (key instanceof RSAPublicKey) {
                alg = hash.replace("-", "") + "withRSA";
            } else if (isEd25519(key)) {
                alg = "Ed25519";
            } else {
                return false;
            }
            Signature s = Signature.getInstance(alg);
            s.initVerify(key);
            s.update(message);
            return s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** True for an Ed25519 (EdDSA) key. */
    public static boolean isEd25519(PublicKey key) {
        return key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA");
    }

    private static byte[] rawEd25519(PublicKey key) {
        byte[] spki = key.getEncoded();
        return java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    /**
     * Everything here that needs BouncyCastle, in a class of its own: the JVM loads (and, bcprov
     * being a signed jar, signature-checks) BouncyCastle only when one of these runs, not whenever
     * {@link Keys} is linked. ECDSA and RSA verification of cosign signatures never needs it.
     */
    private static final class Bc {
        private Bc() {}

        static java.security.spec.RSAPublicKeySpec rsaPkcs1(byte[] der) {
            org.bouncycastle.asn1.pkcs.RSAPublicKey k = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
            return new java.security.spec.RSAPublicKeySpec(k.getModulus(), k.getPublicExponent());
        }

        static byte[] digestInfo(String hashAlg, byte[] digest) throws IOException {
            org.bouncycastle.asn1.x509.AlgorithmIdentifier ai = new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                    switch (hashAlg) {
                        case "SHA-384" -> org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha384;
                        case "SHA-512" -> org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha512;
                        default -> org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256;
                    }, org.bouncycastle.asn1.DERNull.INSTANCE);
            return new org.bouncycastle.asn1.x509.DigestInfo(ai, digest).getEncoded("DER");
        }

        static boolean ed25519ph(byte[] raw, byte[] prehash, byte[] sig) {
            return org.bouncycastle.math.ec.rfc8032.Ed25519.verifyPrehash(sig, 0, raw, 0, new byte[0], prehash, 0);
        }
    }
}
