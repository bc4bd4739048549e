package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The rate-limit defaults: per-credential off, per-address derived from the CPUs; 0 means off. */
class RateLimitDefaultsTest {

    private final Clock frozen = Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void aZeroRateNeverRefuses() {
        RateLimiter off = new RateLimiter(0, 0, frozen);
        assertThat(off.enabled()).isFalse();
        for (int i = 0; i < 100_000; i++) {
            assertThat(off.acquire("one-engine")).isZero();
        }
    }

    @Test
    void aPositiveRateStillRefusesBeyondItsBurst() {
        RateLimiter on = new RateLimiter(10, 3, frozen);
        assertThat(on.acquire("k")).isZero();
        assertThat(on.acquire("k")).isZero();
        assertThat(on.acquire("k")).isZero();
        assertThat(on.acquire("k")).isEqualTo(1);
    }

    @Test
    void addressDefaultScalesWithCpusAndBurstIsTwoSeconds() {
        assertThat(SecuritySettings.defaultAddressRate(2)).isEqualTo(50_000);
        assertThat(SecuritySettings.defaultAddressRate(16)).isEqualTo(400_000);
        assertThat(SecuritySettings.defaultAddressRate(0)).isEqualTo(25_000);
        assertThat(SecuritySettings.burstOrDefault(0, 5_000)).isEqualTo(10_000);
        assertThat(SecuritySettings.burstOrDefault(7, 5_000)).isEqualTo(7);
        assertThat(SecuritySettings.burstOrDefault(0, 0)).isEqualTo(1);
    }

    @Test
    void negativeRatesAreRefused() {
        assertThatThrownBy(() -> new RateLimiter(-1, 1, frozen)).isInstanceOf(IllegalArgumentException.class);
    }
}
