package dev.qmt4j.host;

import dev.qmt4j.Qmt4jException;
import java.nio.file.Path;

/**
 * A provider's plugin could not be fetched (not found, auth, network, signature, platform, integrity,
 * cache): the source's error with the provider and its config file named once, in front, and a hint
 * for the provider's situation where there is a better one (a {@code PLATFORM} error says which
 * {@code platform} key or {@code --platform} to change). Same {@link #kind()} as the cause, which is
 * the original error.
 */
public final class ProviderLoadException extends Qmt4jException {
    private static final long serialVersionUID = 1L;

    private final String provider;
    private final transient Path configFile;
    private final String reason;

    ProviderLoadException(String provider, Path configFile, Qmt4jException cause, String hint) {
        super(cause.kind(), "provider '" + provider + "' in " + configFile + ": " + cause.getMessage(), hint, cause);
        this.provider = provider;
        this.configFile = configFile;
        this.reason = cause.getMessage();
    }

    /** The provider's name. */
    public String provider() {
        return provider;
    }

    /** The config file the provider is defined in. */
    public Path configFile() {
        return configFile;
    }

    /** What failed, without the provider's name (for output that shows the name already). */
    public String reason() {
        return reason;
    }
}
