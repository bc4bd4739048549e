package dev.floe.catalog.server;

import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.kms.CircuitBreaker;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Readiness of the KMS: DOWN while the key provider's circuit breaker is open (the KMS failed
 * repeatedly; operations needing a DEK not in the cache answer 503 meanwhile), UP otherwise. It
 * reads the breaker's state and makes no KMS call itself, so probes cost nothing and cannot make
 * an outage worse; the half-open trial call of real traffic closes the breaker again.
 */
@Singleton
@Readiness
public class KmsHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final EnvelopeEncryption encryption;

    public KmsHealthIndicator(EnvelopeEncryption encryption) {
        this.encryption = encryption;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        CircuitBreaker.State state = encryption.provider().breakerState();
        healthStatus = status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("provider", encryption.provider().kind());
        details.put("breaker", state.name());
        details.put("attached", encryption.isAttached());
        return details;
    }

    /** DOWN while the breaker is open. */
    HealthStatus status() {
        return encryption.provider().breakerState() == CircuitBreaker.State.OPEN ? HealthStatus.DOWN : HealthStatus.UP;
    }

    @Override
    protected String getName() {
        return "kms";
    }
}
