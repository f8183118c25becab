package dev.qmt4j.wasm;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;

/**
 * Any failure of a Wasm plugin: loading, a call, a limit. Kind {@link ErrorKind#PLUGIN}, except
 * {@link PluginSandboxException} ({@link ErrorKind#SANDBOX}).
 */
public abstract sealed class PluginException extends Qmt4jException
        permits PluginCallException, PluginTimeoutException, PluginTrapException, PluginSandboxException,
        PluginLoadException {
    private static final long serialVersionUID = 1L;

    PluginException(ErrorKind kind, String message, String hint, Throwable cause) {
        super(kind, message, hint, cause);
    }
}
