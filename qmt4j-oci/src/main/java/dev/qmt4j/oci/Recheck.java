package dev.qmt4j.oci;

import java.util.Objects;
import java.util.Optional;

/** What {@link SignatureVerifier#recheck} found in stored evidence: it {@link Holds} or it {@link Fails}. */
public sealed interface Recheck {

    /**
     * The evidence still verifies.
     *
     * @param signer who it proves signed the digest (empty when the verifier names no signer)
     */
    record Holds(Optional<Signer> signer) implements Recheck {
        public Holds {
            Objects.requireNonNull(signer, "signer");
        }
    }

    /**
     * The evidence no longer verifies; the cached plugin is not used.
     *
     * @param why one line for the warning
     */
    record Fails(String why) implements Recheck {
        public Fails {
            Objects.requireNonNull(why, "why");
        }
    }
}
