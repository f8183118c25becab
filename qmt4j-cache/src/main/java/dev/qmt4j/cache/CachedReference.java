package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import java.time.Instant;
import java.util.List;

/**
 * One reference of {@code qmt4j cache ls}, with every build of it the cache holds.
 *
 * @param reference  the canonical reference
 * @param digest     the digest it resolved to
 * @param resolvedAt when the digest was last confirmed
 * @param builds     its cached builds, in index order (a native build per platform pulled, the
 *                   {@code wasi/wasm} one if pulled); empty when none is cached
 */
public record CachedReference(String reference, Digest digest, Instant resolvedAt, List<CachedBuild> builds) {
    public CachedReference {
        builds = List.copyOf(builds);
    }
}
