package dev.qmt4j.wasm;

import dev.qmt4j.ErrorKind;
import java.time.Duration;

/**
 * A call ran past its timeout (or its thread was interrupted) and was stopped. The instance that
 * ran it is discarded; the plugin stays usable.
 */
public final class PluginTimeoutException extends PluginException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final Duration timeout;

    /** @param timeout the limit that was exceeded, or null when the caller's thread was interrupted */
    public PluginTimeoutException(String function, Duration timeout, String message, Throwable cause) {
        super(ErrorKind.PLUGIN, message, timeout == null ? null : "raise the timeout (--timeout-ms) if the plugin needs longer", cause);
        this.function = function;
        this.timeout = timeout;
    }

    public String function() {
        return function;
    }

    /** The exceeded limit, or null when the call was cancelled by interrupting the caller. */
    public Duration timeout() {
        return timeout;
    }
}
