package dev.floe.catalog.server;

import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.value.PropertyResolver;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

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
 * @param maxStoredResponse the largest response body (UTF-8 bytes) a record keeps; a larger table
 *                        or view response is recorded by its SHA-256 and a retry gets the object's
 *                        current state; other larger responses are not kept (a retry runs again)
 */
public record IdempotencySettings(
        Duration lifetime,
        Duration cleanupInterval,
        Duration inFlightLease,
        Duration inFlightWait,
        int maxStoredResponse) {

    /**
     * 16 KiB: namespace, view and small-table responses (a few KiB) are replayed byte for byte,
     * while a table with large metadata (the reproduction had 2 MB) costs a record of a few hundred
     * bytes instead of a copy of its metadata per commit.
     */
    public static final int DEFAULT_MAX_STORED_RESPONSE = 16 * 1024;

    /** Settings with the default {@link #DEFAULT_MAX_STORED_RESPONSE}. */
    public IdempotencySettings(
            Duration lifetime, Duration cleanupInterval, Duration inFlightLease, Duration inFlightWait) {
        this(lifetime, cleanupInterval, inFlightLease, inFlightWait, DEFAULT_MAX_STORED_RESPONSE);
    }

    public IdempotencySettings {
        if (maxStoredResponse < 0) {
            throw new IllegalArgumentException("floe.idempotency.max-stored-response must be a size in bytes >= 0,"
                    + " got " + maxStoredResponse + " (set as -Dfloe.idempotency.max-stored-response or the"
                    + " environment variable FLOE_IDEMPOTENCY_MAX_STORED_RESPONSE)");
        }
        requirePositive("floe.idempotency.lifetime", lifetime);
        requirePositive("floe.idempotency.cleanup-interval", cleanupInterval);
        requirePositive("floe.idempotency.in-flight-lease", inFlightLease);
        requirePositive("floe.idempotency.in-flight-wait", inFlightWait);
    }

    /** The defaults, also for code that builds a store without a Micronaut context. */
    public static IdempotencySettings defaults() {
        return new IdempotencySettings(
                Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(10));
    }

    /**
     * Reads {@code floe.idempotency.*} from Micronaut's properties (system properties, the mapped
     * {@code FLOE_IDEMPOTENCY_*} variables, …). Parsed here rather than bound as
     * {@code @ConfigurationProperties}: that binding silently falls back to the default when a value
     * is not a duration (e.g. {@code soon}), and a typo must stop the start instead.
     */
    public static IdempotencySettings from(PropertyResolver properties) {
        IdempotencySettings defaults = defaults();
        return new IdempotencySettings(
                duration(properties, "floe.idempotency.lifetime", defaults.lifetime()),
                duration(properties, "floe.idempotency.cleanup-interval", defaults.cleanupInterval()),
                duration(properties, "floe.idempotency.in-flight-lease", defaults.inFlightLease()),
                duration(properties, "floe.idempotency.in-flight-wait", defaults.inFlightWait()),
                bytes(properties, "floe.idempotency.max-stored-response", defaults.maxStoredResponse()));
    }

    private static int bytes(PropertyResolver properties, String key, int defaultValue) {
        Optional<String> value = properties.get(key, String.class);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.get().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a size in bytes (e.g. 16384), got '" + value.get()
                    + "' (set as -D" + key + " or the environment variable "
                    + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")");
        }
    }

    private static Duration duration(PropertyResolver properties, String key, Duration defaultValue) {
        Optional<String> value = properties.get(key, String.class);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return ConversionService.SHARED
                .convert(value.get().trim(), Duration.class)
                .orElseThrow(() -> invalid(key, "'" + value.get() + "'"));
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(key, String.valueOf(value));
        }
    }

    private static IllegalArgumentException invalid(String key, String value) {
        String variable = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        return new IllegalArgumentException(key + " must be a positive duration (e.g. 30m, 10s), got " + value
                + " (set as -D" + key + " or the environment variable " + variable + ")");
    }
}
