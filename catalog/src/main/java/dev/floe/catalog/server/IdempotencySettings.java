package dev.floe.catalog.server;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How {@code Idempotency-Key} records are kept ({@code floe.idempotency.*}, also settable as
 * {@code FLOE_IDEMPOTENCY_*} environment variables), validated at start-up.
 *
 * @param lifetime        how long a finished request's response is replayed; advertised to clients
 *                        as {@code idempotency-key-lifetime} in {@code GET /v1/config}
 * @param cleanupInterval how often expired records are deleted from the metadata store
 * @param inFlightLease   how long a claimed key whose request has not finished blocks other
 *                        replicas; after it a claim left by a crashed replica is taken over
 * @param inFlightWait    how long a request waits for another replica running the same key before
 *                        it answers 503 with {@code Retry-After}
 */
@ConfigurationProperties("floe.idempotency")
public record IdempotencySettings(
        @Bindable(defaultValue = "30m") Duration lifetime,
        @Bindable(defaultValue = "5m") Duration cleanupInterval,
        @Bindable(defaultValue = "5m") Duration inFlightLease,
        @Bindable(defaultValue = "10s") Duration inFlightWait) {

    public IdempotencySettings {
        requirePositive("floe.idempotency.lifetime", lifetime);
        requirePositive("floe.idempotency.cleanup-interval", cleanupInterval);
        requirePositive("floe.idempotency.in-flight-lease", inFlightLease);
        requirePositive("floe.idempotency.in-flight-wait", inFlightWait);
    }

    /** The defaults above, for code that builds a store without a Micronaut context. */
    public static IdempotencySettings defaults() {
        return new IdempotencySettings(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofSeconds(10));
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration (e.g. 30m, 10s), got " + value);
        }
    }
}
