package dev.qmt4j.sigstore.policy;

import java.security.PublicKey;
import java.util.Objects;

/**
 * What a signature must satisfy: {@link Keyless} (a Fulcio certificate whose identity satisfies an
 * {@link IdentityPolicy}) or {@link Keyed} (a given public key). Mutually exclusive, as in cosign.
 */
public sealed interface VerificationPolicy {

    /** Whether a verified transparency-log entry is required (default true). */
    boolean tlogRequired();

    /**
     * Keyless verification.
     *
     * @param identity the identity constraint (required: there is no "any identity")
     * @param sctRequired whether an embedded SCT from a trusted CT log is required (default true)
     * @param tlogRequired whether a verified transparency-log entry is required (default true);
     *     without one, a verified RFC 3161 timestamp is needed
     */
    record Keyless(IdentityPolicy identity, boolean sctRequired, boolean tlogRequired) implements VerificationPolicy {
        public Keyless {
            Objects.requireNonNull(identity, "keyless verification needs an identity policy");
        }
    }

    /**
     * Keyed verification with a public key (ECDSA, RSA PKCS#1 v1.5, Ed25519).
     *
     * @param key the expected signer key
     * @param tlogRequired whether a verified transparency-log entry is required
     */
    record Keyed(PublicKey key, boolean tlogRequired) implements VerificationPolicy {
        public Keyed {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Keyless with cosign's defaults (SCT and tlog required). */
    static Keyless keyless(IdentityPolicy identity) {
        return new Keyless(identity, true, true);
    }

    /** Keyed with tlog required. */
    static Keyed keyed(PublicKey key) {
        return new Keyed(key, true);
    }
}
