package dev.floe.catalog.observability;

import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.crypto.EnvelopeEncryption;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Readiness of the catalog for {@code /health/readiness}: the metadata database answers and the KMS
 * answers a health call. A pod that cannot reach either is taken out of the Service until it can,
 * instead of failing requests. Liveness does not include these (a KMS outage must not restart pods).
 * Details are reduced to UP/DOWN per dependency; error messages stay in the server log.
 */
@Singleton
@Readiness
@Requires(beans = {dev.floe.catalog.config.FloeConfig.class, Warehouses.class, EnvelopeEncryption.class})
public final class CatalogReadinessIndicator implements HealthIndicator {

    private final Warehouses warehouses;
    private final EnvelopeEncryption encryption;

    public CatalogReadinessIndicator(Warehouses warehouses, EnvelopeEncryption encryption) {
        this.warehouses = warehouses;
        this.encryption = encryption;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(this::check).subscribeOn(Schedulers.boundedElastic());
    }

    private HealthResult check() {
        Map<String, String> details = new LinkedHashMap<>();
        boolean database;
        try (Connection c = warehouses.store().dataSource().getConnection()) {
            database = c.isValid(2);
        } catch (Exception e) {
            database = false;
        }
        boolean kms;
        try {
            encryption.provider().checkHealth();
            kms = true;
        } catch (RuntimeException e) {
            kms = false;
        }
        details.put("database", database ? "UP" : "DOWN");
        details.put("kms", kms ? "UP" : "DOWN");
        return HealthResult.builder("catalog", database && kms ? HealthStatus.UP : HealthStatus.DOWN).details(details).build();
    }
}
