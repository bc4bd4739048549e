package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The lockout's memory: per (address, key id), bounded, and pruned once failures and lockouts expire. */
class LockoutTrackerTest {

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();

    @Test
    void locksThePairNotTheAddress() {
        LockoutTracker tracker = new LockoutTracker(2, Duration.ofMinutes(5), Duration.ofMinutes(1), clock);
        assertThat(tracker.recordFailure("10.0.0.1", "aaaaaaaaaaaaaaaa")).isFalse();
        assertThat(tracker.recordFailure("10.0.0.1", "aaaaaaaaaaaaaaaa")).isTrue();
        assertThat(tracker.lockedForSeconds("10.0.0.1", "aaaaaaaaaaaaaaaa")).isBetween(1L, 61L);
        assertThat(tracker.lockedForSeconds("10.0.0.1", "bbbbbbbbbbbbbbbb")).isZero();
        assertThat(tracker.lockedForSeconds("10.0.0.2", "aaaaaaaaaaaaaaaa")).isZero();
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        assertThat(tracker.lockedForSeconds("10.0.0.1", "aaaaaaaaaaaaaaaa")).isZero();
    }

    @Test
    void tracksAtMostItsBoundAndPrunesExpiredPairs() {
        LockoutTracker tracker = new LockoutTracker(3, Duration.ofMinutes(5), Duration.ofMinutes(5), clock, 100);
        for (int i = 0; i < 1_000; i++) {
            tracker.recordFailure("10.0." + (i / 256) + "." + (i % 256), "-");
        }
        assertThat(tracker.tracked()).isEqualTo(100);

        // once the window has passed, the next failure prunes every expired pair
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        tracker.recordFailure("192.0.2.1", "-");
        assertThat(tracker.tracked()).isEqualTo(1);
    }

    @Test
    void aLockedPairIsKeptUntilItsLockoutEnds() {
        LockoutTracker tracker = new LockoutTracker(1, Duration.ofSeconds(10), Duration.ofMinutes(5), clock);
        tracker.recordFailure("10.0.0.1", "-");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        tracker.recordFailure("10.0.0.2", "-"); // prunes: 10.0.0.1's failure is old, but it is still locked
        assertThat(tracker.lockedForSeconds("10.0.0.1", "-")).isPositive();
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        tracker.recordFailure("10.0.0.3", "-");
        assertThat(tracker.lockedForSeconds("10.0.0.1", "-")).isZero();
        assertThat(tracker.tracked()).isEqualTo(1);
    }
}
