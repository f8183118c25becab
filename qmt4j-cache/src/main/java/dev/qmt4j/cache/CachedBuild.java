package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginType;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One cached build of a reference: the plugin of one index entry (native for one platform, or the
 * {@code wasi/wasm} one), or of a single-manifest image, whose entry is in the cache.
 *
 * @param platform   the index entry's platform; empty for a single-manifest image
 * @param type       the plugin type of the entry
 * @param manifest   the image manifest holding the plugin (an index child, or the top manifest)
 * @param entry      the cache entry
 * @param size       bytes of the entry's files
 * @param path       the plugin file
 * @param lastPulled whether the reference's last pull used this entry
 */
public record CachedBuild(Optional<Platform> platform, PluginType type, Digest manifest, EntryKey entry, long size,
        Path path, boolean lastPulled) {

    /**
     * Whether {@code pull --platform want} of this reference selects this build, by the rules of
     * {@link dev.qmt4j.oci.PluginSelector}: an index entry for {@code want} ({@code wasi/wasm} takes
     * the Wasm entry); a single Wasm image serves every platform, a single native image every
     * platform but {@code wasi/wasm}.
     */
    public boolean servesRequest(Platform want) {
        if (platform.isPresent()) {
            return want.isWasi() ? platform.get().isWasi() : want.matches(platform.get());
        }
        return !want.isWasi() || type == PluginType.WASM;
    }

    /** {@code linux/amd64 native}, {@code wasi/wasm wasm}, {@code - wasm} (single image): how the CLI labels it. */
    public String label() {
        return platform.map(Platform::toString).orElse("-") + " " + type.id();
    }
}
