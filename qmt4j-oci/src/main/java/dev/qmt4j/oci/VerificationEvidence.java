package dev.qmt4j.oci;

import java.util.Map;

/**
 * What a verifier found, kept with the cache entry so it can be re-checked offline.
 *
 * @param summary human-readable: who signed it, or why verification was skipped
 * @param files   evidence files (name to bytes) to store beside the plugin
 */
public record VerificationEvidence(String summary, Map<String, byte[]> files) {
    public VerificationEvidence {
        files = Map.copyOf(files);
    }

    public static VerificationEvidence skipped(String why) {
        return new VerificationEvidence("not verified: " + why, Map.of());
    }
}
