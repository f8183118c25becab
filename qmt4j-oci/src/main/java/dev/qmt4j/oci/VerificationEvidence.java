package dev.qmt4j.oci;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verifier found, kept with the cache entry so it can be re-checked offline.
 *
 * @param summary human-readable: who signed it, or why verification was skipped; for display only
 * @param files   evidence files (name to bytes) to store beside the plugin
 * @param signer  who signed it, as the verifier established it (compared by locked mode and following);
 *                empty when verification was skipped or the verifier names no signer
 */
public record VerificationEvidence(String summary, Map<String, byte[]> files, Optional<Signer> signer) {
    public VerificationEvidence {
        files = Map.copyOf(files);
        Objects.requireNonNull(signer, "signer");
    }

    /** Evidence that names no signer (a verifier that only accepts or refuses). */
    public VerificationEvidence(String summary, Map<String, byte[]> files) {
        this(summary, files, Optional.empty());
    }

    public static VerificationEvidence skipped(String why) {
        return new VerificationEvidence("not verified: " + why, Map.of());
    }
}
