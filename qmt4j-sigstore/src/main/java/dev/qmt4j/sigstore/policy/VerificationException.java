package dev.qmt4j.sigstore.policy;

/**
 * A verification step refused its input. Thrown by the low-level primitives
 * ({@code CertificateVerifier}, {@code RekorVerifier}, ...); the high-level verifiers turn it into a
 * {@link VerificationResult.Rejected}. The message is meant for users: it says what was expected
 * and what was found.
 */
public final class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Check check;

    /** A refusal by {@code check} with a user-facing {@code reason}. */
    public VerificationException(Check check, String reason) {
        super(reason);
        this.check = check;
    }

    /** A refusal by {@code check} caused by {@code cause}. */
    public VerificationException(Check check, String reason, Throwable cause) {
        super(reason, cause);
        this.check = check;
    }

    /** The step that refused. */
    public Check check() {
        return check;
    }
}
