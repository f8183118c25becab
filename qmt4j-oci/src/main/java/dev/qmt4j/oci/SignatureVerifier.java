package dev.qmt4j.oci;

import java.util.Optional;

/**
 * The signature seam: asked about the resolved digest before anything else is fetched. Returns
 * normally if the image is acceptable and throws a {@code VERIFICATION} error otherwise.
 */
@FunctionalInterface
public interface SignatureVerifier {

    /**
     * @param source    the source the image is read from (same credentials as the pull)
     * @param reference the reference as the user wrote it
     * @param digest    the digest the reference resolved to; everything after is fetched by it
     * @return evidence to store with the cache entry (may be empty)
     */
    VerificationEvidence verify(ImageSource source, ImageRef reference, Digest digest);

    /**
     * Re-checks, offline and cheaply, the evidence an earlier {@link #verify} stored for {@code digest},
     * when a cached plugin is about to be used. The default accepts (verifiers that store no evidence).
     *
     * @return why the evidence no longer verifies (the cached plugin is then not used), or empty
     */
    default Optional<String> reverify(ImageRef reference, Digest digest, VerificationEvidence evidence) {
        return Optional.empty();
    }

    /**
     * {@link #reverify}, also saying who the evidence proves signed {@code digest}: what a cache hit reports
     * as its signer, so locked mode and following can compare it. The default trusts the signer stored
     * with the evidence ({@link VerificationEvidence#signer}); a verifier that can derive the signer from
     * the evidence files overrides it, so a stored signer is never believed over the evidence.
     *
     * @param evidence the stored evidence, with the signer stored beside it (empty for evidence stored before signers were)
     */
    default Recheck recheck(ImageRef reference, Digest digest, VerificationEvidence evidence) {
        Optional<String> problem = reverify(reference, digest, evidence);
        return problem.<Recheck>map(Recheck.Fails::new).orElseGet(() -> new Recheck.Holds(evidence.signer()));
    }
}
