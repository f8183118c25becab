package dev.qmt4j.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefreshPolicyTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void parsesKeywordsAndDurations() {
        assertEquals(new RefreshPolicy.Never(), RefreshPolicy.parse("never"));
        assertEquals(new RefreshPolicy.Always(), RefreshPolicy.parse(" Always "));
        assertEquals(new RefreshPolicy.Interval(Duration.ofMinutes(30)), RefreshPolicy.parse("30m"));
        assertEquals(new RefreshPolicy.Interval(Duration.ofHours(24)), RefreshPolicy.parse("24h"));
        assertEquals(new RefreshPolicy.Interval(Duration.ofMinutes(90)), RefreshPolicy.parse("1h30m"));
        assertEquals(new RefreshPolicy.Interval(Duration.ofDays(2)), RefreshPolicy.parse("2d"));
        assertEquals(new RefreshPolicy.Interval(Duration.ofHours(1)), RefreshPolicy.parse("PT1H"));
        assertEquals(new RefreshPolicy.Interval(Duration.ofHours(1)), RefreshPolicy.DEFAULT);
    }

    @Test
    void rejectsAnythingElseAsAConfigError() {
        for (String bad : new String[] {"", "soon", "1", "h", "1x", "1h junk", "-1h"}) {
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> RefreshPolicy.parse(bad), bad);
            assertEquals(ErrorKind.CONFIG, e.kind());
            assertTrue(e.hint().contains("\"1h\""));
        }
    }

    @Test
    void freshnessFollowsThePolicy() {
        RefreshPolicy hour = RefreshPolicy.parse("1h");
        assertTrue(hour.isFresh(T, T.plus(Duration.ofMinutes(59))));
        assertFalse(hour.isFresh(T, T.plus(Duration.ofMinutes(60))));
        assertFalse(hour.isFresh(T.plusSeconds(10), T), "a record from the future is not trusted");
        assertTrue(RefreshPolicy.parse("never").isFresh(T, T.plus(Duration.ofDays(3650))));
        assertFalse(RefreshPolicy.parse("always").isFresh(T, T));
    }

    @Test
    void agesReadNaturally() {
        assertEquals("42 s", PullAttempt.age(Duration.ofSeconds(42)));
        assertEquals("5 min", PullAttempt.age(Duration.ofMinutes(5)));
        assertEquals("3 h 7 min", PullAttempt.age(Duration.ofMinutes(187)));
        assertEquals("2 d 1 h", PullAttempt.age(Duration.ofHours(49)));
    }
}
