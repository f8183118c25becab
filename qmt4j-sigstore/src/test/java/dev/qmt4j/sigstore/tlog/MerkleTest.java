package dev.qmt4j.sigstore.tlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** RFC 6962 inclusion proofs against a straightforward reference tree. */
class MerkleTest {

    /** Reference MTH (RFC 6962 section 2.1). */
    static byte[] mth(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return Merkle.leafHash(leaves.get(from));
        }
        int k = Integer.highestOneBit(n - 1);
        return Merkle.nodeHash(mth(leaves, from, from + k), mth(leaves, from + k, to));
    }

    /** Reference PATH(m, D[n]) (RFC 6962 section 2.1.1). */
    static List<byte[]> path(List<byte[]> leaves, int m, int from, int to) {
        int n = to - from;
        List<byte[]> out = new ArrayList<>();
        if (n == 1) {
            return out;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m < k) {
            out.addAll(path(leaves, m, from, from + k));
            out.add(mth(leaves, from + k, to));
        } else {
            out.addAll(path(leaves, m - k, from + k, to));
            out.add(mth(leaves, from, from + k));
        }
        return out;
    }

    static List<byte[]> leaves(int n) {
        List<byte[]> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(("leaf-" + i).getBytes());
        }
        return l;
    }

    @Property(tries = 300)
    void everyInclusionProofReproducesTheRoot(@ForAll @IntRange(min = 1, max = 70) int size, @ForAll @IntRange(min = 0, max = 69) int idx) {
        int m = idx % size;
        List<byte[]> l = leaves(size);
        byte[] root = mth(l, 0, size);
        assertArrayEquals(root, Merkle.rootFromInclusionProof(m, size, Merkle.leafHash(l.get(m)), path(l, m, 0, size)));
    }

    @Property(tries = 200)
    void aFlippedBitOrWrongIndexNeverReproducesTheRoot(@ForAll @IntRange(min = 2, max = 70) int size,
            @ForAll @IntRange(min = 0, max = 69) int idx, @ForAll @IntRange(min = 0, max = 255) int bit) {
        int m = idx % size;
        List<byte[]> l = leaves(size);
        byte[] root = mth(l, 0, size);
        List<byte[]> p = path(l, m, 0, size);
        List<byte[]> bad = new ArrayList<>(p);
        int which = bit % bad.size();
        byte[] h = bad.get(which).clone();
        h[(bit / 8) % 32] ^= (byte) (1 << (bit % 8));
        bad.set(which, h);
        assertFalse(Arrays.equals(root, Merkle.rootFromInclusionProof(m, size, Merkle.leafHash(l.get(m)), bad)));
        int other = (m + 1) % size;
        try {
            assertFalse(Arrays.equals(root, Merkle.rootFromInclusionProof(other, size, Merkle.leafHash(l.get(m)), p)));
        } catch (IllegalArgumentException e) {
            // wrong proof length for that index: also a rejection
        }
    }

    @Property(tries = 50)
    void truncatedOrExtendedProofsAreRefused(@ForAll @IntRange(min = 2, max = 70) int size) {
        List<byte[]> l = leaves(size);
        List<byte[]> p = path(l, 0, 0, size);
        assertThrows(IllegalArgumentException.class,
                () -> Merkle.rootFromInclusionProof(0, size, Merkle.leafHash(l.get(0)), p.subList(0, p.size() - 1)));
        List<byte[]> longer = new ArrayList<>(p);
        longer.add(new byte[32]);
        assertThrows(IllegalArgumentException.class, () -> Merkle.rootFromInclusionProof(0, size, Merkle.leafHash(l.get(0)), longer));
        assertThrows(IllegalArgumentException.class, () -> Merkle.rootFromInclusionProof(size, size, Merkle.leafHash(l.get(0)), p));
    }
}
