package dev.floe.catalog.rest;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Remembers the final response of each mutation that carried an {@code Idempotency-Key}, so a
 * retried request returns the first result instead of running again. The implementation keeps the
 * records in the metadata store's idempotency table (shared by replicas, kept across restarts) and
 * only the requests still running in memory.
 */
public interface IdempotencyStore {

    /** How long a key is remembered; advertised to clients in {@code GET /v1/config}. */
    Duration lifetime();

    /**
     * Runs {@code action} the first time {@code key} is seen and returns its response; later calls
     * with the same key and the same {@code fingerprint} ({@link RequestFingerprint}) return the
     * final response. Concurrent calls with one key wait for the first to finish. 5xx results are
     * not kept. A response too large to keep is replayed by {@code reload} (the object's current
     * state, which the REST specification allows); without {@code reload} it is not kept.
     *
     * @throws org.apache.iceberg.exceptions.UnprocessableEntityException (422) if the key was used
     *         for a request with another fingerprint
     */
    StoredResponse execute(
            String key, String fingerprint, Supplier<StoredResponse> action, @Nullable Supplier<StoredResponse> reload);

    /** {@link #execute(String, String, Supplier, Supplier)} for a response that cannot be reloaded. */
    default StoredResponse execute(String key, String fingerprint, Supplier<StoredResponse> action) {
        return execute(key, fingerprint, action, null);
    }
}
