package dev.qmt4j.sigstore.trust;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;

/** A trust root could not be read or is invalid (a {@link ErrorKind#VERIFICATION} error). */
public final class TrustRootException extends Qmt4jException {
    private static final long serialVersionUID = 1L;

    public TrustRootException(String message) {
        super(ErrorKind.VERIFICATION, message);
    }

    public TrustRootException(String message, Throwable cause) {
        super(ErrorKind.VERIFICATION, message, null, cause);
    }
}
