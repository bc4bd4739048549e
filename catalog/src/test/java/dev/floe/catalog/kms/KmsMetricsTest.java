package dev.floe.catalog.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.crypto.DataKeyCache;
import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.testing.UnreachableKeyProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code floe.kms.calls} and {@code floe.dek.cache} count what happens, and nothing breaks without a registry. */
class KmsMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double calls(String operation, String outcome) {
        var counter = registry.find("floe.kms.calls")
                .tags("provider", "local", "operation", operation, "outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static LocalKeyProvider local() {
        return LocalKeyProvider.fromEnvironment(
                "K", Map.of("K", Base64.getEncoder().encodeToString(new byte[32])));
    }

    @Test
    void kmsCallsAreCountedByOperationAndOutcome() {
        KmsCallPolicy oneAttemptOpensAtOnce =
                new KmsCallPolicy(Duration.ofSeconds(5), 1, Duration.ZERO, Duration.ZERO, 1, Duration.ofMinutes(1));
        try (ResilientKeyProvider p = new ResilientKeyProvider(
                local(), oneAttemptOpensAtOnce, Clock.systemUTC(), d -> {}, new KmsMetrics(registry))) {
            WrappedKey wrapped = p.wrap(SecretBytes.copyOf(new byte[32]));
            p.unwrap(wrapped).close();
            p.unwrap(wrapped).close();
            WrappedKey foreign = new WrappedKey(wrapped.ciphertext(), "another-key", "1");
            assertThatThrownBy(() -> p.unwrap(foreign)).isInstanceOf(KmsException.class);

            assertThat(calls("wrap", "success")).isEqualTo(1);
            assertThat(calls("unwrap", "success")).isEqualTo(2);
            assertThat(calls("unwrap", "error")).isEqualTo(1);
        }

        KeyProvider down = new UnreachableKeyProvider("local");
        try (ResilientKeyProvider p = new ResilientKeyProvider(
                down, oneAttemptOpensAtOnce, Clock.systemUTC(), d -> {}, new KmsMetrics(registry))) {
            assertThatThrownBy(p::currentVersion).isInstanceOf(KmsUnavailableException.class);
            assertThatThrownBy(p::currentVersion).isInstanceOf(KmsUnavailableException.class);
            assertThat(calls("currentVersion", "unavailable")).isEqualTo(1);
            assertThat(calls("currentVersion", "rejected")).isEqualTo(1); // breaker open: no remote call
        }
    }

    @Test
    void dataKeyCacheLookupsAreCountedAsHitsAndMisses() {
        long[] now = {0};
        try (DataKeyCache cache = new DataKeyCache(4, Duration.ofSeconds(10), () -> now[0], new KmsMetrics(registry))) {
            UUID id = UUID.randomUUID();
            assertThat(cache.get(id)).isEmpty();
            cache.put(id, SecretBytes.copyOf(new byte[32]));
            cache.get(id).orElseThrow().close();
            cache.get(id).orElseThrow().close();
            now[0] += Duration.ofSeconds(11).toNanos();
            assertThat(cache.get(id)).isEmpty(); // expired: a miss
        }
        assertThat(registry.get("floe.dek.cache").tag("result", "hit").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("floe.dek.cache")
                        .tag("result", "miss")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void withoutARegistryNothingIsRecordedAndNothingFails() {
        try (ResilientKeyProvider p = new ResilientKeyProvider(local(), KmsCallPolicy.defaults(), KmsMetrics.NONE);
                DataKeyCache cache = new DataKeyCache(4, Duration.ofSeconds(10), System::nanoTime, KmsMetrics.NONE)) {
            p.unwrap(p.wrap(SecretBytes.copyOf(new byte[32]))).close();
            assertThat(cache.get(UUID.randomUUID())).isEmpty();
        }
        assertThat(registry.getMeters()).isEmpty();
    }
}
