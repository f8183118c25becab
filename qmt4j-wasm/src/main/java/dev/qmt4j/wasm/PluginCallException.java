package dev.qmt4j.wasm;

import dev.qmt4j.ErrorKind;

/**
 * A call failed in the guest's own terms: the guest registered an error with {@code error_set}, or
 * returned a non-zero code, or the export does not exist ({@link #returnCode()} −1), or a host
 * function failed with a non-qmt4j exception.
 *
 * <p>QueryMT guests return code 1 with a JSON {@code {"payload": ...}} error body: read it from
 * {@link #guestError()}.
 */
public final class PluginCallException extends PluginException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int returnCode;
    private final String guestError;

    /**
     * @param guestError the message the guest registered with {@code error_set}, or null
     */
    public PluginCallException(String function, int returnCode, String guestError, String message, Throwable cause) {
        super(ErrorKind.PLUGIN, message, null, cause);
        this.function = function;
        this.returnCode = returnCode;
        this.guestError = guestError;
    }

    /** The export that was called. */
    public String function() {
        return function;
    }

    /** The export's i32 result (0 for a {@code () -> ()} export), or −1 when the call did not complete normally. */
    public int returnCode() {
        return returnCode;
    }

    /** The guest's error message ({@code error_set}), or null if it set none. */
    public String guestError() {
        return guestError;
    }
}
