package dev.qmt4j.sigstore.trust.tuf;

/**
 * A TUF update refused: the repository's metadata or target failed a check. Never a reason to fall
 * back to older trust material silently (TUF specification section 5); {@link #check()} names what failed.
 */
public final class TufException extends RuntimeException {
    private final String check;

    /**
     * @param check   the failed check, e.g. {@code root.threshold}, {@code timestamp.expired},
     *                {@code snapshot.rollback}, {@code target.hash}
     * @param message what was found
     */
    public TufException(String check, String message) {
        super("TUF check " + check + " failed: " + message);
        this.check = check;
    }

    /** The failed check. */
    public String check() {
        return check;
    }
}
