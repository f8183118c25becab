package dev.qmt4j.sigstore.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** RFC 6962 / RFC 9162 Merkle tree hashing and inclusion-proof evaluation (SHA-256). */
public final class Merkle {
    private Merkle() {}

    /** Leaf hash: SHA-256(0x00 || leaf). */
    public static byte[] leafHash(byte[] leaf) {
        MessageDigest md = sha256();
        md.update((byte) 0);
        md.update(leaf);
        return md.digest();
    }

    /** Interior node hash: SHA-256(0x01 || left || right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest md = sha256();
        md.update((byte) 1);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /**
     * Computes the root implied by an inclusion proof (RFC 9162 section 2.1.3.2).
     *
     * @param index the leaf's index in the tree ({@code 0 <= index < treeSize})
     * @param treeSize the tree size the proof is for
     * @param leafHash the leaf hash
     * @param proof the audit path, leaf to root
     * @throws IllegalArgumentException if the proof has the wrong length or the index is out of range
     */
    public static byte[] rootFromInclusionProof(long index, long treeSize, byte[] leafHash, List<byte[]> proof) {
        if (index < 0 || treeSize <= 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf index " + index + " is outside a tree of size " + treeSize);
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (p.length != 32) {
                throw new IllegalArgumentException("proof hash of " + p.length + " bytes (expected 32)");
            }
            if (sn == 0) {
                throw new IllegalArgumentException("inclusion proof is longer than the tree is deep");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new IllegalArgumentException("inclusion proof is shorter than the tree is deep");
        }
        return r;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
