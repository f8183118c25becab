package dev.qmt4j.wasm.internal;

/** A user host function threw something other than a qmt4j exception; the call fails with its message. */
final class UserHostFunctionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserHostFunctionFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
