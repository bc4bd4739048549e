package dev.floe.catalog.rest;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Remembers the final response of each mutation that carried an {@code Idempotency-Key}, so a
 * retried request returns the first result instead of running again. Implementations: in memory
 * (single process) or the metadata store's idempotency table (shared by replicas).
 */
public interface IdempotencyStore {

    /** How long a key is remembered; advertised to clients in {@code GET /v1/config}. */
    Duration lifetime();

    /**
     * Runs {@code action} the first time {@code key} is seen and returns its response; later calls
     * with the same key (for the same {@code operation}) return the stored final response.
     * Concurrent calls with one key wait for the first to finish. 5xx results are not kept.
     *
     * @throws IllegalArgumentException if the key was used for a different operation
     */
    StoredResponse execute(String key, String operation, Supplier<StoredResponse> action);
}
