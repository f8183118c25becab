package dev.qmt4j.sigstore.policy;

import dev.qmt4j.sigstore.certs.CertificateIdentity;
import java.util.List;
import java.util.Objects;

/**
 * Outcome of verifying one signature (bundle or legacy signature) against a policy:
 * {@link Verified} or {@link Rejected}. Never thrown; callers switch on it.
 */
public sealed interface VerificationResult {

    /** True for {@link Verified}. */
    default boolean isVerified() {
        return this instanceof Verified;
    }

    /** Every check passed; {@code details} says who signed and when. */
    record Verified(VerificationDetails details) implements VerificationResult {
        public Verified {
            Objects.requireNonNull(details, "details");
        }
    }

    /**
     * A check failed.
     *
     * @param check the step that refused
     * @param reason user-facing explanation (expected vs found)
     * @param identitiesFound the certificate identities seen in the signature (empty for keyed
     *     signatures or when no certificate could be parsed), so a refusal can show what would
     *     have been needed
     */
    record Rejected(Check check, String reason, List<CertificateIdentity> identitiesFound)
            implements VerificationResult {
        public Rejected {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(reason, "reason");
            identitiesFound = List.copyOf(identitiesFound);
        }

        /** A rejection built from a primitive's exception. */
        public static Rejected of(VerificationException e, List<CertificateIdentity> identitiesFound) {
            return new Rejected(e.check(), e.getMessage(), identitiesFound);
        }

        @Override
        public String toString() {
            return check + ": " + reason + (identitiesFound.isEmpty() ? "" : " (found " + identitiesFound + ")");
        }
    }
}
