package dev.qmt4j.sigstore;

import dev.qmt4j.sigstore.cosign.CosignKeys;
import dev.qmt4j.sigstore.policy.IdentityPolicy;
import java.security.PublicKey;
import java.util.Objects;

/**
 * What a signature must satisfy, all on one signature: {@link Keyed} (a cosign public key) or
 * {@link Keyless} (a Fulcio certificate with an identity). Built by {@link PolicyResolver}.
 */
public sealed interface VerificationPolicy {

    /** One line for messages and evidence. */
    String describe();

    /** The same policy for the core bundle verifier. */
    default dev.qmt4j.sigstore.policy.VerificationPolicy toCore() {
        if (this instanceof Keyed k) {
            return new dev.qmt4j.sigstore.policy.VerificationPolicy.Keyed(k.key(), k.requireTlog());
        }
        Keyless k = (Keyless) this;
        return new dev.qmt4j.sigstore.policy.VerificationPolicy.Keyless(k.identity(), k.sctRequired(), true);
    }

    /**
     * A cosign public key ({@code --key}, {@code public_key}).
     *
     * @param key         the public key
     * @param source      where it came from (file path or "flag"), for messages
     * @param requireTlog whether a verified Rekor entry is required ({@code require_tlog}); a present but
     *                    invalid entry is refused either way
     */
    record Keyed(PublicKey key, String source, boolean requireTlog) implements VerificationPolicy {
        public Keyed {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String describe() {
            return "public key " + CosignKeys.fingerprint(key) + " (" + source + ")" + (requireTlog ? ", transparency log required" : "");
        }
    }

    /**
     * A keyless signature: certificate chained to a Fulcio CA of the trust root at the Rekor
     * integrated time, an SCT (unless {@code sctRequired} is false), a verified Rekor entry, and
     * this identity.
     */
    record Keyless(IdentityPolicy identity, boolean sctRequired) implements VerificationPolicy {
        public Keyless {
            Objects.requireNonNull(identity, "identity");
        }

        @Override
        public String describe() {
            return "keyless " + identity;
        }
    }
}
