package dev.qmt4j.oci;

import java.util.Objects;
import java.util.Optional;

/**
 * Who signed a verified image, as the verifier established it from the verified data (the key the
 * signature checked against, or the fields of the certificate that chained to the trust root). Locked
 * mode and following compare signers by {@link #equals}, never through the verifier's summary text: a
 * certificate's fields are chosen by whoever requested it, so text built from them can imitate any
 * separator or label (docs/locking.md, "Signer").
 */
public sealed interface Signer {

    /** A one-line description for messages; for display only, never compared. */
    String describe();

    /**
     * A cosign public key.
     *
     * @param fingerprint {@code sha256:<hex>} of the key's DER SubjectPublicKeyInfo (what {@code signer_key} records)
     */
    record Key(String fingerprint) implements Signer {
        public Key {
            Objects.requireNonNull(fingerprint, "fingerprint");
        }

        @Override
        public String describe() {
            return "key " + fingerprint;
        }
    }

    /**
     * A keyless (Fulcio) certificate.
     *
     * @param identity the certificate's subject alternative name (Fulcio certificates carry exactly one;
     *                 "" when it has none)
     * @param issuer   the OIDC issuer the certificate asserts, if any
     */
    record Keyless(String identity, Optional<String> issuer) implements Signer {
        public Keyless {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(issuer, "issuer");
        }

        @Override
        public String describe() {
            return "identity " + identity + " (issuer " + issuer.orElse("none") + ")";
        }
    }
}
