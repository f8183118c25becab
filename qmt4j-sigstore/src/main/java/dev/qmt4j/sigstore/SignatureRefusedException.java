package dev.qmt4j.sigstore;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.Objects;

/**
 * The {@code VERIFICATION} error {@link SigstoreVerifier#verify} throws for a refused image, carrying the
 * refusal's {@link ImageVerdict.RefusalKind} so that callers decide on it ({@link SigstoreVerifier#isUnsigned})
 * rather than on the message, which quotes what the signatures claim.
 */
public final class SignatureRefusedException extends Qmt4jException {
    private static final long serialVersionUID = 1L;

    private final ImageVerdict.RefusalKind refusal;

    /**
     * @param refusal why the image was refused
     * @param message what was refused and why, as users read it
     * @param hint    what to do about it
     */
    public SignatureRefusedException(ImageVerdict.RefusalKind refusal, String message, String hint) {
        super(ErrorKind.VERIFICATION, message, hint);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    /** Why the image was refused: no signature at all, or none that satisfied the policy. */
    public ImageVerdict.RefusalKind refusal() {
        return refusal;
    }
}
