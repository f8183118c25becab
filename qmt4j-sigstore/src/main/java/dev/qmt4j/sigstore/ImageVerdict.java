package dev.qmt4j.sigstore;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.sigstore.cosign.LegacySignatures;
import dev.qmt4j.sigstore.cosign.ReferrerBundles;
import dev.qmt4j.sigstore.policy.VerificationDetails;
import java.util.List;

/** The outcome of verifying an image digest: {@link Accepted} or {@link Refused}. */
public sealed interface ImageVerdict {

    /**
     * One signature satisfied the whole policy by itself.
     *
     * @param digest     the verified digest
     * @param policy     the policy it satisfied
     * @param signature  which signature satisfied it (for messages)
     * @param signatureDigest the payload digest (legacy) or referrer manifest digest (bundle) of that signature
     * @param details    who signed and when
     * @param signatures the legacy signatures discovered (evidence kept with the cache entry)
     * @param bundles    the referrer bundles discovered (evidence kept with the cache entry)
     */
    record Accepted(Digest digest, ImagePolicy policy, String signature, Digest signatureDigest,
            VerificationDetails details, LegacySignatures signatures, ReferrerBundles bundles) implements ImageVerdict {}

    /**
     * Why an image was refused, decided where the verifier looks at what it found (never read back out of a
     * message: certificate fields quoted in a message are chosen by whoever requested the certificate).
     */
    enum RefusalKind {
        /**
         * The image has no signature at all: no cosign {@code sha256-<hex>.sig} tag and no Sigstore bundle
         * referrer. A release pushed a moment before its signature looks like this, so a follower retries it
         * (docs/locking.md, "Following a tag").
         */
        NO_SIGNATURE,
        /** Signatures were found (or could not be read), and none satisfied the whole policy by itself. */
        NOT_SATISFIED
    }

    /**
     * No signature satisfied the policy.
     *
     * @param digest     the digest that was checked
     * @param policy     the policy
     * @param kind       whether there was no signature at all, or none that satisfied the policy
     * @param reason     the one-line summary
     * @param candidates one line per signature found: which check failed and the identities found
     */
    record Refused(Digest digest, ImagePolicy policy, RefusalKind kind, String reason, List<String> candidates)
            implements ImageVerdict {
        public Refused {
            java.util.Objects.requireNonNull(kind, "kind");
            candidates = List.copyOf(candidates);
        }

        /** The summary and every candidate, one per line. */
        public String message() {
            StringBuilder sb = new StringBuilder(reason);
            for (String c : candidates) {
                sb.append("\n  - ").append(c);
            }
            return sb.toString();
        }
    }
}
