package dev.floe.catalog.observability;

import dev.floe.catalog.catalog.Warehouses;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code catalog} component of {@code /health/readiness}: the metadata database answers. A pod
 * that cannot reach it is taken out of the Service until it can, instead of failing requests. The
 * KMS is the {@code kms} component ({@code server/KmsHealthIndicator}), which may stay in the
 * Service while this replica serves from cached data keys. Liveness includes neither (a database or
 * KMS outage must not restart pods). The check gets {@link #CHECK_TIMEOUT}: a database that does not
 * answer (the pool would wait 30 s for a connection) is DOWN within a probe's time, not a hung probe.
 * Details are UP/DOWN for the database (shown only where health details are visible: on a management
 * port); the first UP, the first DOWN (with the error) and the recovery are logged once each.
 */
@Singleton
@Readiness
@Requires(beans = {dev.floe.catalog.config.FloeConfig.class, Warehouses.class})
public final class CatalogReadinessIndicator implements HealthIndicator {

    /** Longest a single dependency check may take before it counts as DOWN. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(CatalogReadinessIndicator.class);

    private final Warehouses warehouses;
    private final AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());

    public CatalogReadinessIndicator(Warehouses warehouses) {
        this.warehouses = warehouses;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return check("database", () -> {
                    try (Connection c = warehouses.store().dataSource().getConnection()) {
                        if (!c.isValid((int) CHECK_TIMEOUT.toSeconds())) {
                            throw new IllegalStateException("connection not valid");
                        }
                    }
                    return null;
                })
                .map(database -> {
                    Map<String, String> details = new LinkedHashMap<>();
                    details.put("database", database);
                    boolean up = !details.containsValue("DOWN");
                    Map<String, String> previous = last.getAndSet(details);
                    if (up && previous.isEmpty()) {
                        // the first check of a fresh start: nothing was down, so not "again"
                        LOG.info("readiness: UP (database {})", database);
                    } else if (up && previous.containsValue("DOWN")) {
                        LOG.info("readiness: UP again (database {})", database);
                    }
                    return HealthResult.builder("catalog", up ? HealthStatus.UP : HealthStatus.DOWN)
                            .details(details)
                            .build();
                });
    }

    private Mono<String> check(String dependency, Callable<Void> call) {
        return Mono.fromCallable(() -> {
                    call.call();
                    return "UP";
                })
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(CHECK_TIMEOUT)
                .onErrorResume(e -> {
                    if (!"DOWN".equals(last.get().get(dependency))) {
                        // once per outage; the message names the failure, never a credential (JDBC errors carry none)
                        LOG.warn("readiness: {} DOWN: {}", dependency, e.toString());
                    }
                    return Mono.just("DOWN");
                });
    }
}
