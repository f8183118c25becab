package dev.qmt4j.oci.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hosts that asked to be left alone ({@code Retry-After} on a 429 or 503), until when. Shared by every source of
 * one client, so the next pull skips a rate-limited mirror too while the cool-down lasts.
 */
final class CoolDowns {
    private final Map<String, Instant> until = new ConcurrentHashMap<>();

    /** Leaves {@code host} alone for {@code d} (never shortens a longer cool-down). */
    void coolDown(String host, Duration d) {
        Instant end = Instant.now().plus(d);
        until.merge(host, end, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** When {@code host} may be asked again, if that is in the future. */
    Optional<Instant> coolingUntil(String host) {
        Instant end = until.get(host);
        if (end == null || !end.isAfter(Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(end);
    }
}
