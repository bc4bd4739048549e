package dev.floe.catalog.kms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The encryption layer's Micrometer counters: {@code floe.kms.calls} (one per KMS call attempt,
 * tagged {@code provider}, {@code operation} and {@code outcome}: {@code success}, {@code error} for a
 * definite refusal, {@code unavailable} for a transient failure or timeout, {@code rejected} when
 * the open circuit breaker stopped the call before it left) and {@code floe.dek.cache} (one per
 * data-key lookup, tagged {@code result=hit|miss}). Built from the server's MeterRegistry when
 * metrics are on; {@link #NONE} records nothing, so code and tests without a registry need no setup.
 */
public final class KmsMetrics {

    /** Records nothing. */
    public static final KmsMetrics NONE = new KmsMetrics(null);

    private final MeterRegistry registry;
    private final Counter hits;
    private final Counter misses;

    /** @param registry where to register the counters; {@code null} records nothing */
    public KmsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.hits = registry == null ? null : cacheCounter(registry, "hit");
        this.misses = registry == null ? null : cacheCounter(registry, "miss");
    }

    private static Counter cacheCounter(MeterRegistry registry, String result) {
        return Counter.builder("floe.dek.cache")
                .description("Data-key cache lookups (a miss costs a KMS unwrap)")
                .tag("result", result)
                .register(registry);
    }

    /** One KMS call attempt (retries count separately). */
    public void kmsCall(String provider, String operation, String outcome) {
        if (registry != null) {
            // Micrometer returns the already registered counter for the same name and tags.
            Counter.builder("floe.kms.calls")
                    .description("KMS call attempts by provider, operation and outcome")
                    .tag("provider", provider)
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .register(registry)
                    .increment();
        }
    }

    /** One data-key cache lookup. */
    public void dekCache(boolean hit) {
        if (registry != null) {
            (hit ? hits : misses).increment();
        }
    }
}
