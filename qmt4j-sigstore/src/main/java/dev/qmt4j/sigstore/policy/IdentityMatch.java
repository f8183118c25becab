package dev.qmt4j.sigstore.policy;

import dev.qmt4j.sigstore.certs.CertificateIdentity;
import java.util.Optional;

/** Result of {@link IdentityPolicy#match}: {@link Match} or {@link Mismatch}, with what was found. */
public sealed interface IdentityMatch {
    /** The identity that was found (absent only if the certificate could not be read at all). */
    Optional<CertificateIdentity> found();

    /** Every constraint holds. */
    record Match(CertificateIdentity identity) implements IdentityMatch {
        @Override
        public Optional<CertificateIdentity> found() {
            return Optional.of(identity);
        }
    }

    /** A constraint failed; {@code reason} names it with expected and found values. */
    record Mismatch(String reason, CertificateIdentity identity) implements IdentityMatch {
        @Override
        public Optional<CertificateIdentity> found() {
            return Optional.ofNullable(identity);
        }
    }
}
