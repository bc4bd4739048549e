package dev.floe.operator.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final ZonedDateTime MONDAY_NOON = ZonedDateTime.of(2026, 11, 30, 12, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void computesNextWeeklyRun() {
        var next = CronSchedule.parse("0 3 * * 0")
                .orElseThrow()
                .next(MONDAY_NOON, ZoneOffset.UTC)
                .orElseThrow();
        assertThat(next).isEqualTo(ZonedDateTime.of(2026, 12, 6, 3, 0, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void understandsMacrosStepsAndNames() {
        assertThat(CronSchedule.parse("@hourly").orElseThrow().next(MONDAY_NOON, ZoneOffset.UTC))
                .contains(MONDAY_NOON.plusHours(1));
        assertThat(CronSchedule.parse("*/15 * * * *").orElseThrow().next(MONDAY_NOON, ZoneOffset.UTC))
                .contains(MONDAY_NOON.plusMinutes(15));
        assertThat(CronSchedule.parse("0 0 1 JAN *").orElseThrow().next(MONDAY_NOON, ZoneOffset.UTC))
                .contains(ZonedDateTime.of(2027, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void honoursTheTimeZone() {
        var next = CronSchedule.parse("30 2 1 * *")
                .orElseThrow()
                .next(MONDAY_NOON, ZoneId.of("Europe/Berlin"))
                .orElseThrow();
        assertThat(next.withZoneSameInstant(ZoneOffset.UTC))
                .isEqualTo(ZonedDateTime.of(2026, 12, 1, 1, 30, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void rejectsMalformedExpressions() {
        assertThat(CronSchedule.parse("61 * * * *")).isEmpty();
        assertThat(CronSchedule.parse("* * * *")).isEmpty();
        assertThat(CronSchedule.parse("every day")).isEmpty();
        assertThat(CronSchedule.parse("0 0 31 2 *").orElseThrow().next(MONDAY_NOON, ZoneOffset.UTC))
                .isEmpty();
    }
}
