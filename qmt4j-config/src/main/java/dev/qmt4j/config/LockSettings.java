package dev.qmt4j.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The lockfile keys of {@code [oci]} (docs/locking.md).
 *
 * @param frozen {@code lock = "frozen"}: locked mode, every provider loaded from the lockfile
 * @param file   {@code lock_file}, resolved against the config file's directory; default {@code qmt4j.lock} beside it
 */
public record LockSettings(boolean frozen, Optional<Path> file) {
    /** No lock keys: not frozen, the default lockfile. */
    public static LockSettings none() {
        return new LockSettings(false, Optional.empty());
    }
}
