package dev.qmt4j.pull;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a cached tag must be re-resolved against the registry ({@code [oci] refresh}). Digest
 * references never need refreshing; {@code --force} always refreshes.
 */
public sealed interface RefreshPolicy {
    /** The default: a tag is re-checked once it is an hour old. */
    RefreshPolicy DEFAULT = new Interval(Duration.ofHours(1));

    /** Whether a tag resolved at {@code resolvedAt} can still be used at {@code now} without asking. */
    boolean isFresh(Instant resolvedAt, Instant now);

    /** Never re-check a cached tag (until {@code --force}). */
    record Never() implements RefreshPolicy {
        @Override
        public boolean isFresh(Instant resolvedAt, Instant now) {
            return true;
        }
    }

    /** Re-check a tag on every pull. */
    record Always() implements RefreshPolicy {
        @Override
        public boolean isFresh(Instant resolvedAt, Instant now) {
            return false;
        }
    }

    /** Re-check a tag once it is older than {@code maxAge}. */
    record Interval(Duration maxAge) implements RefreshPolicy {
        public Interval {
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("negative refresh interval");
            }
        }

        @Override
        public boolean isFresh(Instant resolvedAt, Instant now) {
            // A record from the future (clock moved back) is treated as stale, not as fresh forever.
            return !resolvedAt.isAfter(now) && Duration.between(resolvedAt, now).compareTo(maxAge) < 0;
        }
    }

    /**
     * Parses {@code never}, {@code always}, or a duration: a number with unit {@code s}, {@code m},
     * {@code h} or {@code d}, several allowed ({@code 1h30m}), or an ISO-8601 {@code PT1H}.
     */
    static RefreshPolicy parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("never")) {
            return new Never();
        }
        if (t.equals("always")) {
            return new Always();
        }
        if (t.startsWith("p")) {
            try {
                return new Interval(Duration.parse(t.toUpperCase(Locale.ROOT)));
            } catch (RuntimeException e) {
                throw invalid(text);
            }
        }
        Matcher m = Pattern.compile("(\\d+)\\s*([smhd])").matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end && !t.substring(end, m.start()).isBlank()) {
                throw invalid(text);
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end == 0 || !t.substring(end).isBlank()) {
            throw invalid(text);
        }
        return new Interval(total);
    }

    private static Qmt4jException invalid(String text) {
        return new Qmt4jException(ErrorKind.CONFIG, "invalid refresh policy '" + text + "'",
                "use \"never\", \"always\" or a duration such as \"30m\", \"1h\" or \"24h\"");
    }
}
