package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginType;
import java.util.Optional;

/**
 * The outcome of the last plugin selection for a reference's top digest, recorded so that a cache hit
 * need not parse manifests. Valid only for the same top digest and the same request (the requested
 * platform, normalised, and whether it was explicit); the puller also checks that the cached, re-hashed
 * manifests still name {@code manifest} and {@code layer} before trusting it, and selects afresh otherwise.
 *
 * @param requested the platform asked for (the {@code --platform} override, else the host), normalised
 * @param explicit  whether it was an explicit override (changes the wasi/wasm fallback)
 * @param type      the plugin type selected
 * @param manifest  the digest of the image manifest holding the plugin (the top one, or an index child)
 * @param layer     the plugin layer's digest
 * @param platform  the index entry's platform, if the plugin came from an index
 */
public record Selection(Platform requested, boolean explicit, PluginType type, Digest manifest, Digest layer,
        Optional<Platform> platform) {}
