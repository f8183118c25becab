package dev.qmt4j.sigstore.cosign;

/**
 * scrypt cost parameters of an encrypted cosign key.
 *
 * @param n CPU/memory cost (a power of two)
 * @param r block size
 * @param p parallelism
 */
public record ScryptParams(int n, int r, int p) {
    /** What {@code cosign generate-key-pair} writes. */
    public static final ScryptParams COSIGN_DEFAULT = new ScryptParams(65536, 8, 1);
    /** The largest N accepted when reading (2^20: about 1 GiB of memory with r=8). */
    static final int MAX_N = 1 << 20;

    public ScryptParams {
        if (n < 2 || Integer.bitCount(n) != 1 || n > MAX_N || r < 1 || r > 32 || p < 1 || p > 16) {
            throw new IllegalArgumentException("unsupported scrypt parameters N=" + n + " r=" + r + " p=" + p);
        }
    }
}
