package dev.qmt4j.wasm;

import dev.qmt4j.ErrorKind;

/**
 * The plugin tried something its sandbox forbids: a host not in {@link WasmManifest#allowedHosts()}
 * (also at any redirect hop), a file outside the allowed paths, or more memory than {@link
 * WasmManifest#maxPages()} ("oom"). Kind {@link ErrorKind#SANDBOX}.
 */
public final class PluginSandboxException extends PluginException {
    private static final long serialVersionUID = 1L;

    /** Which limit was hit. */
    public enum Reason {
        HOST,
        PATH,
        MEMORY,
        HTTP_RESPONSE_SIZE,
        VAR_STORE
    }

    private final Reason reason;

    public PluginSandboxException(Reason reason, String message, String hint) {
        super(ErrorKind.SANDBOX, message, hint, null);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
