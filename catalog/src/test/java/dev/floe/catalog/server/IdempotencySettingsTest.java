package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdempotencySettingsTest {

    @Test
    void defaultsMatchTheDocumentedValues() {
        IdempotencySettings defaults = IdempotencySettings.defaults();
        assertThat(defaults.lifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.cleanupInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.inFlightLease()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.inFlightWait()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rejectsNonPositiveDurationsNamingTheProperty() {
        assertThatThrownBy(() -> new IdempotencySettings(Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floe.idempotency.lifetime");
        assertThatThrownBy(() -> new IdempotencySettings(Duration.ofMinutes(30), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofSeconds(-1)))
                .hasMessageContaining("floe.idempotency.in-flight-wait");
    }
}
