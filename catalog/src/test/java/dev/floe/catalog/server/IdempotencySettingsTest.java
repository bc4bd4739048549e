package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import io.micronaut.core.value.PropertyResolver;
import java.time.Duration;
import java.util.Map;
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
        assertThatThrownBy(() -> new IdempotencySettings(
                        Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floe.idempotency.lifetime");
        assertThatThrownBy(() -> new IdempotencySettings(
                        Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(-1)))
                .hasMessageContaining("floe.idempotency.in-flight-wait");
    }

    @Test
    void readsMicronautPropertiesAndRejectsAValueThatIsNotADuration() {
        assertThat(IdempotencySettings.from(properties(
                        Map.of("floe.idempotency.lifetime", "2h", "floe.idempotency.in-flight-wait", "500ms"))))
                .isEqualTo(new IdempotencySettings(
                        Duration.ofHours(2), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMillis(500)));
        assertThat(IdempotencySettings.from(properties(Map.of()))).isEqualTo(IdempotencySettings.defaults());
        // Micronaut's @ConfigurationProperties binding would have fallen back to the default here
        assertThatThrownBy(
                        () -> IdempotencySettings.from(properties(Map.of("floe.idempotency.cleanup-interval", "soon"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floe.idempotency.cleanup-interval must be a positive duration")
                .hasMessageContaining("'soon'")
                .hasMessageContaining("FLOE_IDEMPOTENCY_CLEANUP_INTERVAL");
    }

    private static PropertyResolver properties(Map<String, Object> values) {
        return new PropertySourcePropertyResolver(PropertySource.of("test", values));
    }
}
