package dev.qmt4j.sigstore.trust.tuf;

import dev.qmt4j.sigstore.certs.Keys;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A TUF metadata key. Schemes: {@code ecdsa-sha2-nistp256} (keytype {@code ecdsa} or
 * {@code ecdsa-sha2-nistp256}; {@code keyval.public} a PEM SubjectPublicKeyInfo, as Sigstore's
 * root-signing writes, or hex DER SPKI; signature hex DER over SHA-256) and {@code ed25519}
 * ({@code keyval.public} hex of the 32 raw bytes; signature hex of 64 bytes). Other schemes
 * (RSA-PSS) are kept as unusable keys: their signatures never count.
 *
 * @param keyId  the key ID as the metadata names it
 * @param scheme the signature scheme
 * @param key    the key, or null when the scheme is unsupported
 */
public record TufKey(String keyId, String scheme, PublicKey key) {
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    public TufKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(scheme, "scheme");
    }

    /** Parses a {@code keys} entry; unsupported schemes give a key that verifies nothing. */
    static TufKey parse(String keyId, JsonNode n) {
        String keytype = TufMetadata.text(n, "keytype", "key " + keyId);
        String scheme = TufMetadata.text(n, "scheme", "key " + keyId);
        JsonNode keyval = n.get("keyval");
        if (keyval == null || keyval.get("public") == null || !keyval.get("public").isString()) {
            throw new TufException("metadata.format", "key " + keyId + " has no keyval.public");
        }
        String pub = keyval.get("public").stringValue().strip();
        try {
            if (scheme.equals("ecdsa-sha2-nistp256") && (keytype.equals("ecdsa") || keytype.equals("ecdsa-sha2-nistp256"))) {
                byte[] der = pub.startsWith("-----BEGIN") ? pemBody(pub) : HexFormat.of().parseHex(pub);
                return new TufKey(keyId, scheme, KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)));
            }
            if (scheme.equals("ed25519") && keytype.equals("ed25519")) {
                byte[] raw = HexFormat.of().parseHex(pub);
                if (raw.length != 32) {
                    throw new IllegalArgumentException("ed25519 key is not 32 bytes");
                }
                byte[] der = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, 32);
                return new TufKey(keyId, scheme, Keys.publicKey(der));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new TufException("metadata.format", "key " + keyId + " (" + scheme + ") cannot be decoded: " + e.getMessage());
        }
        return new TufKey(keyId, scheme, null);
    }

    private static byte[] pemBody(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return java.util.Base64.getDecoder().decode(body);
    }

    /** Whether {@code signatureHex} is this key's valid signature over {@code message}. */
    public boolean verify(byte[] message, String signatureHex) {
        if (key == null) {
            return false;
        }
        try {
            byte[] sig = HexFormat.of().parseHex(signatureHex);
            Signature s = Signature.getInstance(scheme.equals("ed25519") ? "Ed25519" : "SHA256withECDSA");
            s.initVerify(key);
            s.update(message);
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
