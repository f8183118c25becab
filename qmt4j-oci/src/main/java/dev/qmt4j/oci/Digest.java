package dev.qmt4j.oci;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as OCI writes it: {@code algorithm:hex}. Only {@code sha256} and {@code sha512}
 * are accepted, because those are the only algorithms the image spec registers and the only ones
 * we can check.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    public Digest {
        int expected = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw new Qmt4jException(ErrorKind.USAGE,
                    "unsupported digest algorithm '" + algorithm + "'", "use sha256 or sha512");
        };
        if (hex.length() != expected || !HEX.matcher(hex).matches()) {
            throw new Qmt4jException(ErrorKind.USAGE, "invalid " + algorithm + " digest '" + hex
                    + "': expected " + expected + " lowercase hex characters");
        }
    }

    /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. */
    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new Qmt4jException(ErrorKind.USAGE, "invalid digest '" + text + "': expected algorithm:hex");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The SHA-256 digest of {@code data}. */
    public static Digest sha256(byte[] data) {
        return new Digest("sha256", HexFormat.of().formatHex(newMessageDigest("sha256").digest(data)));
    }

    /**
     * The SHA-256 digest of a file, read in a stream (plugins can be hundreds of MiB; they are never
     * held in memory).
     *
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public static Digest sha256(Path file) {
        MessageDigest hasher = newMessageDigest("sha256");
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                hasher.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new Digest("sha256", HexFormat.of().formatHex(hasher.digest()));
    }

    /** A fresh hasher for this digest's algorithm. */
    public MessageDigest newHasher() {
        return newMessageDigest(algorithm);
    }

    /** Builds a digest of this digest's algorithm from a finished hasher. */
    public Digest withHash(byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    /** Creates a hasher for {@code sha256} or {@code sha512}. */
    public static MessageDigest newMessageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }

    /** The hex part prefixed with the algorithm, safe as a single path segment: {@code sha256-<hex>}. */
    public String fileName() {
        return algorithm + "-" + hex;
    }

    // Written out: a record's generated equals/hashCode bootstrap through java.lang.runtime.ObjectMethods
    // on first use, which a cache hit's start-up would pay for (docs/benchmarks.md).
    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && hex.equals(d.hex) && algorithm.equals(d.algorithm);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
