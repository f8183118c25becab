package dev.qmt4j.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A provider's {@code [providers.follow]} table: the host checks the provider's tag every {@code every} plus a
 * random part of {@code jitter} and swaps in a new digest signed by the same signer (docs/locking.md,
 * "Following a tag"). qmt4j's own table, never given to the plugin.
 *
 * @param every  {@code every}: the interval between checks ({@code "6h"}, {@code "30m"} or a number of seconds); required
 * @param jitter {@code jitter}: up to this much is added to each interval at random, so a fleet does not check
 *               all at once; default a tenth of {@code every} ({@link #defaultJitter(Duration)}); {@code 0} for none
 */
public record FollowSettings(Duration every, Duration jitter) {

    /** Every key of {@code [providers.follow]}. */
    public static final List<String> KEYS = List.of("every", "jitter");

    public FollowSettings {
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(jitter, "jitter");
        if (every.isNegative() || every.isZero() || jitter.isNegative()) {
            throw new IllegalArgumentException("every must be positive and jitter not negative, got every=" + every
                    + " jitter=" + jitter);
        }
    }

    /** {@code every} with the default jitter. */
    public static FollowSettings every(Duration every) {
        return new FollowSettings(every, defaultJitter(every));
    }

    /** The jitter when none is written: a tenth of {@code every}. */
    public static Duration defaultJitter(Duration every) {
        return every.dividedBy(10);
    }
}
