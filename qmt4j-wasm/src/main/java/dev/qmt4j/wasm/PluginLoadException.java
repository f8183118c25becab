package dev.qmt4j.wasm;

import dev.qmt4j.ErrorKind;

/**
 * The module could not be made into a running plugin: not valid wasm, an import the host does not
 * provide (e.g. WASI while WASI is off), or a failing initialiser.
 */
public final class PluginLoadException extends PluginException {
    private static final long serialVersionUID = 1L;

    public PluginLoadException(String message, String hint, Throwable cause) {
        super(ErrorKind.PLUGIN, message, hint, cause);
    }
}
