package dev.qmt4j.provider.model;

/**
 * QueryMT's {@code CacheHint::Ephemeral}: a prompt-cache breakpoint, serialised as
 * {@code {"ephemeral":{"ttl_seconds":N}}} ({@code ttl_seconds} omitted when null).
 *
 * @param ttlSeconds cache lifetime, or null for the provider's default
 */
public record CacheHint(Long ttlSeconds) {
    /** An ephemeral breakpoint with the provider's default TTL. */
    public static CacheHint ephemeral() {
        return new CacheHint(null);
    }
}
