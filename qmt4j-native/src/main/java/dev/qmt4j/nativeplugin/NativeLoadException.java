package dev.qmt4j.nativeplugin;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.Objects;

/** A native library could not be loaded as a qmt4j provider plugin; {@link #reason()} says why. */
public final class NativeLoadException extends Qmt4jException {
    private static final long serialVersionUID = 1L;

    /** Why loading failed. */
    public enum Reason {
        /** The file does not exist. */
        NOT_FOUND,
        /** The dynamic loader refused the file (wrong architecture or OS, missing dependency, not a library). */
        LOAD_FAILED,
        /** A QueryMT native plugin ({@code plugin_factory} / {@code plugin_http_factory}, Rust trait-object ABI). */
        QUERYMT_RUST_ABI,
        /** The library exports none, or only some, of the required {@code qmt4j_*} symbols. */
        NOT_A_PLUGIN,
        /** The plugin was built for another version of {@code qmt4j_plugin.h}. */
        ABI_MISMATCH,
        /** The plugin loaded but its required {@code name} / {@code capabilities} calls failed. */
        BAD_METADATA
    }

    private final Reason reason;

    /** An error with a reason, message, hint (nullable) and cause (nullable). */
    public NativeLoadException(Reason reason, String message, String hint, Throwable cause) {
        super(kindOf(Objects.requireNonNull(reason, "reason")), message, hint, cause);
        this.reason = reason;
    }

    private static ErrorKind kindOf(Reason r) {
        return switch (r) {
            case NOT_FOUND -> ErrorKind.NOT_FOUND;
            case BAD_METADATA -> ErrorKind.PLUGIN;
            default -> ErrorKind.PLATFORM;
        };
    }

    /** Why loading failed. */
    public Reason reason() {
        return reason;
    }
}
