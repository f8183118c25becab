package dev.qmt4j;

import java.util.Objects;

/**
 * The one exception type qmt4j throws for anything a user can act on.
 *
 * <p>The message says what failed; the optional {@link #hint()} says what to do about it. The CLI
 * prints both, exits with {@link ErrorKind#exitCode()}, and shows the stack trace only with
 * {@code --verbose}.
 */
public class Qmt4jException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String hint;

    public Qmt4jException(ErrorKind kind, String message) {
        this(kind, message, null, null);
    }

    public Qmt4jException(ErrorKind kind, String message, String hint) {
        this(kind, message, hint, null);
    }

    public Qmt4jException(ErrorKind kind, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.hint = hint;
    }

    /** The class of failure; decides the CLI exit code. */
    public ErrorKind kind() {
        return kind;
    }

    /** What the user can do about it, or {@code null}. */
    public String hint() {
        return hint;
    }

    /** The message followed by the hint on its own line, as the CLI prints it. */
    public String describe() {
        return hint == null ? getMessage() : getMessage() + System.lineSeparator() + "hint: " + hint;
    }
}
