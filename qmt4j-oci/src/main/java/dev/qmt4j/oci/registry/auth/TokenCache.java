package dev.qmt4j.oci.registry.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authorization header values per (registry, scope set), kept until shortly before they expire so
 * that repeated pulls do not ask the token endpoint again.
 */
final class TokenCache {
    /** Tokens are dropped this long before their stated expiry, so a request never races it. */
    static final Duration MARGIN = Duration.ofSeconds(10);

    private record Key(String registry, List<String> scopes) {}

    private record Entry(String header, Instant expires) {}

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    TokenCache(Clock clock) {
        this.clock = clock;
    }

    Optional<String> get(String registry, List<String> scopes) {
        Key key = new Key(registry, scopes);
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.header());
    }

    void put(String registry, List<String> scopes, String header, Duration lifetime) {
        Duration usable = lifetime.compareTo(MARGIN.multipliedBy(2)) > 0 ? lifetime.minus(MARGIN) : lifetime.dividedBy(2);
        entries.put(new Key(registry, scopes), new Entry(header, clock.instant().plus(usable)));
    }

    void remove(String registry, List<String> scopes) {
        entries.remove(new Key(registry, scopes));
    }
}
