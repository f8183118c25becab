package dev.qmt4j.wasm;

import dev.qmt4j.ErrorKind;

/**
 * The guest trapped ({@code unreachable}, out-of-bounds access, stack overflow, an AssemblyScript
 * {@code abort}, ...) or exited through WASI {@code proc_exit} with a non-zero code. The instance that
 * ran it is discarded.
 */
public final class PluginTrapException extends PluginException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final String trapMessage;
    private final int returnCode;

    public PluginTrapException(String function, String trapMessage, int returnCode, Throwable cause) {
        super(ErrorKind.PLUGIN, "plugin trapped in '" + function + "': " + trapMessage, null, cause);
        this.function = function;
        this.trapMessage = trapMessage;
        this.returnCode = returnCode;
    }

    public String function() {
        return function;
    }

    /** The engine's description of the trap. */
    public String trapMessage() {
        return trapMessage;
    }

    /** 134 for a trap (as in Extism), or the WASI exit code. */
    public int returnCode() {
        return returnCode;
    }
}
