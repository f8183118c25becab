package dev.qmt4j.sigstore.cosign;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.sigstore.certs.Pem;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;

/**
 * cosign {@code PUBLIC KEY} PEMs, parsed with the JDK alone.
 *
 * <p>Kept apart from {@link CosignKeys} (private keys, scrypt, BouncyCastle) on purpose: verifying
 * with a public key is on every signed pull and signed cache hit, and the first use of any
 * BouncyCastle class makes the JVM verify the signature of the whole signed bcprov jar (~0.2-0.4 s
 * of CPU, docs/benchmarks.md). This class and its callers on the verification path never touch it.
 */
public final class CosignPublicKeys {
    static final String EC = "1.2.840.10045.2.1";
    static final String RSA = "1.2.840.113549.1.1.1";
    static final String ED25519 = "1.3.101.112";

    private CosignPublicKeys() {}

    /**
     * Reads a {@code PUBLIC KEY} PEM (DER SubjectPublicKeyInfo): ECDSA P-256/P-384/P-521, RSA or Ed25519.
     *
     * @throws Qmt4jException {@code CONFIG} for anything else
     */
    public static PublicKey readPublicKey(String pem) {
        List<Pem.Block> blocks;
        try {
            blocks = Pem.blocks(pem);
        } catch (IllegalArgumentException e) {
            throw bad("public key: " + e.getMessage());
        }
        if (blocks.size() != 1) {
            throw bad("public key: expected exactly one PEM block, found " + blocks.size());
        }
        if (!blocks.get(0).type().equals(CosignKeys.PUBLIC_KEY)) {
            throw bad("public key: PEM type is " + blocks.get(0).type() + ", expected " + CosignKeys.PUBLIC_KEY);
        }
        return publicKeyFromSpki(blocks.get(0).der());
    }

    /** Parses a DER SubjectPublicKeyInfo of a supported algorithm. */
    public static PublicKey publicKeyFromSpki(byte[] der) {
        String alg = algorithmOid(der);
        try {
            switch (alg) {
                case EC -> {
                    PublicKey k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
                    curveName((ECPublicKey) k);
                    return k;
                }
                case RSA -> {
                    return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
                }
                case ED25519 -> {
                    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
                }
                default -> throw bad("unsupported public key algorithm " + alg
                        + " (supported: ECDSA P-256/P-384/P-521, RSA, Ed25519)");
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            throw bad("unreadable public key: " + e.getMessage());
        }
    }

    /** {@code sha256:<hex>} of the DER SubjectPublicKeyInfo: how qmt4j names a key in messages. */
    public static String fingerprint(PublicKey key) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code PUBLIC KEY} PEM of {@code key}. */
    public static String publicKeyPem(PublicKey key) {
        return Pem.encode(CosignKeys.PUBLIC_KEY, key.getEncoded());
    }

    /** The named curve of an EC key ({@code P-256}, {@code P-384}, {@code P-521}); others are refused. */
    public static String curveName(ECPublicKey key) {
        int bits = key.getParams().getCurve().getField().getFieldSize();
        return switch (bits) {
            case 256 -> "P-256";
            case 384 -> "P-384";
            case 521 -> "P-521";
            default -> throw bad("unsupported EC curve of " + bits + " bits (supported: P-256, P-384, P-521)");
        };
    }

    /**
     * The algorithm OID of a DER SubjectPublicKeyInfo, dotted:
     * {@code SEQUENCE { SEQUENCE { OBJECT IDENTIFIER, parameters OPTIONAL }, BIT STRING }}. Only
     * what the dispatch needs is read here; the JDK's KeyFactory checks the whole structure.
     */
    static String algorithmOid(byte[] der) {
        try {
            Der outer = Der.at(der, 0, der.length, 0x30);
            if (outer.end() != der.length) {
                throw new IllegalArgumentException("trailing bytes");
            }
            Der algorithm = Der.at(der, outer.start(), outer.end(), 0x30);
            Der oid = Der.at(der, algorithm.start(), algorithm.end(), 0x06);
            return dotted(der, oid.start(), oid.end());
        } catch (IllegalArgumentException e) {
            throw bad("not a DER SubjectPublicKeyInfo");
        }
    }

    /** One DER element: its content spans {@code [start, end)}. */
    private record Der(int start, int end) {
        static Der at(byte[] b, int pos, int limit, int tag) {
            if (pos + 2 > limit || (b[pos] & 0xff) != tag) {
                throw new IllegalArgumentException("unexpected tag");
            }
            int len = b[pos + 1] & 0xff;
            int start = pos + 2;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 3 || start + n > limit) {
                    throw new IllegalArgumentException("bad length");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[start + i] & 0xff);
                }
                start += n;
            }
            if (len > limit - start) {
                throw new IllegalArgumentException("length beyond the input");
            }
            return new Der(start, start + len);
        }
    }

    private static String dotted(byte[] b, int start, int end) {
        if (start >= end || (b[end - 1] & 0x80) != 0) {
            throw new IllegalArgumentException("bad OID");
        }
        StringBuilder sb = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = start; i < end; i++) {
            if (value > (Long.MAX_VALUE >> 7)) {
                throw new IllegalArgumentException("OID arc too large");
            }
            value = (value << 7) | (b[i] & 0x7f);
            if ((b[i] & 0x80) == 0) {
                if (first) {
                    long top = Math.min(value / 40, 2);
                    sb.append(top).append('.').append(value - top * 40);
                    first = false;
                } else {
                    sb.append('.').append(value);
                }
                value = 0;
            }
        }
        return sb.toString();
    }

    private static Qmt4jException bad(String why) {
        return new Qmt4jException(ErrorKind.CONFIG, "invalid cosign key: " + why);
    }
}
