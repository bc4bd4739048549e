package dev.floe.catalog.server;

import dev.floe.catalog.catalog.Warehouses;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired {@code Idempotency-Key} records every {@code floe.idempotency.cleanup-interval}.
 * Expired records are already ignored by lookups; this keeps the table from growing without bound.
 * Every replica runs it: the delete is idempotent, so no coordination is needed.
 */
@Singleton
public class IdempotencyCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyCleanup.class);

    private final Warehouses warehouses;
    private final Clock clock;

    public IdempotencyCleanup(Warehouses warehouses) {
        this.warehouses = warehouses;
        this.clock = Clock.systemUTC();
    }

    /** One pass; a failure is logged and the next pass tries again. */
    @Scheduled(
            fixedDelay = "${floe.idempotency.cleanup-interval:5m}",
            initialDelay = "${floe.idempotency.cleanup-interval:5m}")
    public void deleteExpired() {
        try {
            int deleted = warehouses.store().idempotency().deleteExpired(clock.instant());
            if (deleted > 0) {
                LOG.debug("Deleted {} expired idempotency records", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot delete expired idempotency records: {}", e.toString());
        }
    }
}
