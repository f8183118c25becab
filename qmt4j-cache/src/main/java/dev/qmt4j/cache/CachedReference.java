package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.PluginType;
import java.time.Instant;
import java.util.Optional;

/**
 * One line of {@code qmt4j cache ls}.
 *
 * @param reference  the canonical reference
 * @param digest     the digest it resolved to
 * @param type       the plugin type of its last pulled entry, if that entry is still present
 * @param size       bytes of that entry (0 if absent)
 * @param resolvedAt when the digest was last confirmed
 * @param path       the plugin file of that entry, if present
 */
public record CachedReference(String reference, Digest digest, Optional<PluginType> type, long size,
        Instant resolvedAt, Optional<java.nio.file.Path> path) {}
