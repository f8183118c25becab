package dev.qmt4j.oci;

import java.util.Optional;

/**
 * The outcome of type and platform detection: which manifest holds the plugin, which layer is the
 * plugin, and how it runs.
 *
 * @param type          Wasm or native
 * @param manifestDigest the digest of the chosen image manifest (the index child, or the top manifest)
 * @param manifest      that manifest
 * @param layer         the layer holding the plugin (a Wasm module, or a tar(+gzip) of a native library)
 * @param platform      the index entry's platform, if the plugin came from an index
 */
public record PluginImage(PluginType type, Digest manifestDigest, ImageManifest manifest, Descriptor layer,
        Optional<Platform> platform) {}
