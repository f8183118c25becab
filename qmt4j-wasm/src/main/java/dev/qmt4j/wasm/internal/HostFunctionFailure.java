package dev.qmt4j.wasm.internal;

/**
 * A built-in host function refused its arguments (bad handle, bad JSON, a full var store...). Thrown
 * inside the guest's call to unwind it, as the reference does by returning an error from the host
 * function; the call then fails with this message.
 */
public class HostFunctionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostFunctionFailure(String message) {
        super(message, null, false, false);
    }

    public HostFunctionFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
