package dev.qmt4j.provider.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Immutable binary content (an image, a PDF, audio): QueryMT's {@code Vec<u8>} as a value. The
 * array is copied in and out, so no caller can change it; equality is by content; {@link #toString()}
 * is short ({@code Bytes[4 bytes, sha256:1a2b3c4d…]}), so records holding megabytes print one line.
 */
public final class Bytes {
    /** No bytes. */
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** A copy of {@code data}. */
    public static Bytes of(byte[] data) {
        return new Bytes(Objects.requireNonNull(data, "data").clone());
    }

    /**
     * The bytes of standard base64 text (RFC 4648, with padding), as in QueryMT's
     * {@code audio_base64} fields.
     *
     * @throws IllegalArgumentException when {@code base64} is not valid base64
     */
    public static Bytes fromBase64(String base64) {
        return new Bytes(Base64.getDecoder().decode(Objects.requireNonNull(base64, "base64")));
    }

    /** Takes {@code data} without copying; for the codec, which owns the array it just decoded. */
    static Bytes wrap(byte[] data) {
        return new Bytes(data);
    }

    /** A copy of the bytes. */
    public byte[] toArray() {
        return data.clone();
    }

    /** The number of bytes. */
    public int length() {
        return data.length;
    }

    /** Standard base64 (RFC 4648, with padding). */
    public String base64() {
        return Base64.getEncoder().encodeToString(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    /** The length and the first 8 hex digits of the SHA-256, enough to tell two values apart in a log. */
    @Override
    public String toString() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(data);
            return "Bytes[" + data.length + " bytes, sha256:" + HexFormat.of().formatHex(hash, 0, 4) + "…]";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
