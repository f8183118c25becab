package dev.qmt4j.pull;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.SignatureVerifier;

/** Stock {@link SignatureVerifier}s. */
public final class SignatureVerifiers {
    private SignatureVerifiers() {}

    /**
     * Refuses every image: the default until a real verifier exists, so that the pipeline is secure by
     * default and skipping verification is always an explicit choice.
     */
    public static SignatureVerifier unavailable() {
        return (source, reference, digest) -> {
            throw new Qmt4jException(ErrorKind.VERIFICATION,
                    "cannot verify the signature of " + reference + ": signature verification is not implemented in this build",
                    "set insecure_skip_signature = true in the [oci] block of your config or pass --insecure-skip-signature,"
                            + " only for images you trust");
        };
    }
}
