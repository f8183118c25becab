package dev.qmt4j.sigstore.tlog;

import java.util.List;
import java.util.Objects;

/**
 * A Merkle inclusion proof of a log entry, with the checkpoint it is anchored in.
 *
 * @param logIndex the entry's index <em>in the tree it was written to</em> (not the global index)
 * @param treeSize the size of the tree the proof is for
 * @param rootHash the tree's root hash
 * @param hashes the audit path, leaf to root
 * @param checkpoint the signed-note checkpoint envelope text ("" if absent)
 */
public record InclusionProof(long logIndex, long treeSize, byte[] rootHash, List<byte[]> hashes, String checkpoint) {
    public InclusionProof {
        rootHash = rootHash.clone();
        hashes = hashes.stream().map(byte[]::clone).toList();
        Objects.requireNonNull(checkpoint, "checkpoint");
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }
}
