package dev.qmt4j;

/**
 * What class of failure an error is. Each kind has its own CLI exit code, so scripts can tell a
 * typo from a network outage from a tampered plugin without parsing messages.
 *
 * <p>The table is documented in {@code docs/exit-codes.md}; keep the two in step.
 */
public enum ErrorKind {
    /** Bad command line, malformed reference or option. */
    USAGE(2),
    /** The config file is missing, unreadable or invalid. */
    CONFIG(3),
    /** The repository, tag, digest or file does not exist. */
    NOT_FOUND(4),
    /** The registry refused our credentials, or none were found where they were required. */
    AUTH(5),
    /** The registry could not be reached, timed out, or kept failing after retries. */
    NETWORK(6),
    /** Bytes did not match their digest or declared size, or remote metadata was malformed. */
    INTEGRITY(7),
    /** The signature check refused the plugin, or no verifier/policy allowed it. */
    VERIFICATION(8),
    /** No image for this platform, or the plugin type could not be determined. */
    PLATFORM(9),
    /** The local cache could not be read or written. */
    CACHE(10),
    /** Extracting the plugin from its layer failed (unsafe archive, missing file). */
    EXTRACTION(11),
    /** The plugin itself failed: it returned an error, trapped, timed out or hit a resource limit. */
    PLUGIN(12),
    /** A plugin tried something its sandbox does not allow (a host, a path, more memory). */
    SANDBOX(13),
    /**
     * The cache or trust-root directory is writable by group or others, or owned by another user, so its
     * plugins and trust material could have been swapped (docs/verification.md, "The cache's permissions").
     */
    PERMISSIONS(14),
    /**
     * The reference's registry is {@code blocked} in {@code [[oci.registry]]} and no mirror could serve it
     * (none configured for this kind of reference, or every one failed).
     */
    BLOCKED(15),
    /**
     * The config and its lockfile disagree (a provider missing from the lock, a reference or pin that
     * differs), or the lockfile cannot be used (docs/locking.md).
     */
    LOCK(16),
    /** A bug in qmt4j: anything not classified above. */
    INTERNAL(70);

    private final int exitCode;

    ErrorKind(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The process exit code the CLI uses for this kind. */
    public int exitCode() {
        return exitCode;
    }
}
