package dev.qmt4j.pull;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;

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
}
