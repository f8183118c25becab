package dev.qmt4j.cache;

import java.util.Map;

/**
 * What a signature verifier found for a top-level digest, as {@link PluginCache#putEvidence} stored it.
 *
 * @param summary the verifier's human-readable summary (who signed it), exactly as stored
 * @param files   the evidence files, name to bytes (not checked here: the verifier re-verifies them)
 */
public record StoredEvidence(String summary, Map<String, byte[]> files) {
    public StoredEvidence {
        files = Map.copyOf(files);
    }
}
