package dev.qmt4j.cache;

import dev.qmt4j.oci.Signer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a signature verifier found for a top-level digest, as {@link PluginCache#putEvidence} stored it.
 *
 * @param summary the verifier's human-readable summary (who signed it), exactly as stored; for display only
 * @param files   the evidence files, name to bytes (not checked here: the verifier re-verifies them)
 * @param signer  the signer the verifier named, as stored; empty when it named none, or for evidence
 *                stored before signers were (the verifier re-derives it from the files where it can)
 */
public record StoredEvidence(String summary, Map<String, byte[]> files, Optional<Signer> signer) {
    public StoredEvidence {
        files = Map.copyOf(files);
        Objects.requireNonNull(signer, "signer");
    }
}
