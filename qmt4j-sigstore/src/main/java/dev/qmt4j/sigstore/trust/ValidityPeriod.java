package dev.qmt4j.sigstore.trust;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A closed validity interval {@code [start, end]} from a trust root's {@code validFor}; an absent
 * end means "still valid". Both bounds are inclusive, as the protobuf-specs {@code TimeRange} says.
 */
public record ValidityPeriod(Instant start, Optional<Instant> end) {
    /** Unbounded validity (used for manually configured keys). */
    public static final ValidityPeriod ALWAYS = new ValidityPeriod(Instant.EPOCH, Optional.empty());

    public ValidityPeriod {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    /** True if {@code start <= t <= end}. */
    public boolean contains(Instant t) {
        return !t.isBefore(start) && end.map(e -> !t.isAfter(e)).orElse(true);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end.map(Instant::toString).orElse("open") + "]";
    }
}
