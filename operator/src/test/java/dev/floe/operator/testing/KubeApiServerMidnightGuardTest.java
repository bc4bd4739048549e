package dev.floe.operator.testing;

import static dev.floe.operator.testing.KubeApiServerMidnightGuard.waitBeforeStart;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class KubeApiServerMidnightGuardTest {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void startsAtOnceWhenEveryDeadlineFallsOnTheSameDay() {
        assertThat(waitBeforeStart(LocalTime.NOON, DEFAULT_TIMEOUT)).isZero();
        assertThat(waitBeforeStart(LocalTime.MIDNIGHT, DEFAULT_TIMEOUT)).isZero();
        assertThat(waitBeforeStart(LocalTime.of(0, 0, 5), DEFAULT_TIMEOUT)).isZero();
        assertThat(waitBeforeStart(LocalTime.of(23, 57, 59), DEFAULT_TIMEOUT)).isZero();
    }

    @Test
    void waitsUntilMidnightWhenADeadlineWouldWrap() {
        assertThat(waitBeforeStart(LocalTime.of(23, 59, 30), DEFAULT_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(waitBeforeStart(LocalTime.of(23, 58, 0), DEFAULT_TIMEOUT)).isEqualTo(Duration.ofMinutes(2));
        assertThat(waitBeforeStart(LocalTime.of(23, 59, 59, 999_999_999), DEFAULT_TIMEOUT))
                .isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void aLongerStartupTimeoutWidensTheWindow() {
        assertThat(waitBeforeStart(LocalTime.of(23, 55, 0), Duration.ofSeconds(240)))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(waitBeforeStart(LocalTime.of(23, 55, 0), DEFAULT_TIMEOUT)).isZero();
    }
}
