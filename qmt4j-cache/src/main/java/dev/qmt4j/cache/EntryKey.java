package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * Names one cache entry: the layer the plugin came from and, for a Wasm layer stored under a
 * non-default file name, that name. Entries are immutable, so the same layer wanted under two
 * names is two entries rather than one entry renamed under a reader's feet.
 *
 * @param layer   the plugin layer's digest
 * @param variant a plain file name, or empty for the default
 */
public record EntryKey(Digest layer, Optional<String> variant) {

    public EntryKey {
        Objects.requireNonNull(layer, "layer");
        variant.ifPresent(EntryKey::requirePlainName);
    }

    public static EntryKey of(Digest layer) {
        return new EntryKey(layer, Optional.empty());
    }

    /** The directory name under {@code entries/<alg>/}. */
    String directoryName() {
        return layer.hex() + variant.map(v -> "+" + v).orElse("");
    }

    /** The key used for the lock file under {@code locks/}. */
    String lockName() {
        return layer.fileName() + variant.map(v -> "+" + v).orElse("");
    }

    private static void requirePlainName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
    }
}
