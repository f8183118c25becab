package dev.qmt4j.oci;

import java.util.Optional;
import java.util.function.Function;

/**
 * Decides the plugin type and platform (see the README of this module for the order of rules).
 */
public final class PluginSelector {
    private PluginSelector() {}

    /**
     * @param top          the resolved top-level manifest
     * @param fetchChild   fetches an index child by digest (checked)
     * @param host         the host platform
     * @param override     a {@code --platform} override, if any
     */
    public static PluginImage select(ManifestBlob top, Function<Digest, ManifestBlob> fetchChild, Platform host,
            Optional<Platform> override) {
        throw new UnsupportedOperationException("TODO");
    }
}
