package dev.qmt4j.sigstore.bundle;

import java.util.HexFormat;
import java.util.Locale;

/**
 * What a bundle is verified against: the artifact's bytes, or only its digest (e.g. an OCI
 * manifest digest {@code sha256:<hex>}).
 */
public sealed interface Artifact {

    /** The artifact's digest with {@code alg} ("SHA-256", "SHA-384", "SHA-512"), or null if unknown. */
    byte[] digest(String alg);

    /** The artifact's bytes. */
    record Bytes(byte[] content) implements Artifact {
        public Bytes {
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        @Override
        public byte[] digest(String alg) {
            return dev.qmt4j.sigstore.certs.Keys.digest(alg, content);
        }
    }

    /**
     * Only a digest of the artifact.
     *
     * @param algorithm "SHA-256", "SHA-384" or "SHA-512"
     * @param value the digest bytes
     */
    record Digest(String algorithm, byte[] value) implements Artifact {
        public Digest {
            if (!algorithm.equals("SHA-256") && !algorithm.equals("SHA-384") && !algorithm.equals("SHA-512")) {
                throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public byte[] digest(String alg) {
            return alg.equals(algorithm) ? value.clone() : null;
        }

        @Override
        public String toString() {
            return algorithm.toLowerCase(Locale.ROOT).replace("-", "") + ":" + HexFormat.of().formatHex(value);
        }
    }

    /** An artifact given by its bytes. */
    static Artifact ofBytes(byte[] content) {
        return new Bytes(content);
    }

    /**
     * An artifact given by an OCI-style digest string {@code sha256:<hex>} (also sha384/sha512).
     *
     * @throws IllegalArgumentException if malformed
     */
    static Artifact ofDigest(String digest) {
        int colon = digest.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("digest must look like sha256:<hex>: " + digest);
        }
        String alg = switch (digest.substring(0, colon)) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported digest algorithm in " + digest);
        };
        String hex = digest.substring(colon + 1);
        int len = alg.equals("SHA-256") ? 64 : alg.equals("SHA-384") ? 96 : 128;
        if (!hex.matches("[0-9a-f]{" + len + "}")) {
            throw new IllegalArgumentException("digest must be " + len + " lower-case hex digits: " + digest);
        }
        return new Digest(alg, HexFormat.of().parseHex(hex));
    }
}
