package dev.floe.catalog.kms;

import java.time.Duration;

/**
 * How every KMS call is guarded: a per-attempt timeout, a bounded number of attempts with
 * exponential backoff between them, and the circuit breaker's threshold and open time.
 *
 * @param callTimeout       longest one attempt may take
 * @param maxAttempts       attempts per call, including the first (1 = no retry)
 * @param initialBackoff    wait before the second attempt; doubled for each further one
 * @param maxBackoff        cap for the wait between attempts
 * @param breakerThreshold  consecutive failed calls that open the breaker
 * @param breakerOpenFor    how long the open breaker rejects calls before a trial call
 */
public record KmsCallPolicy(
        Duration callTimeout,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        int breakerThreshold,
        Duration breakerOpenFor) {

    public KmsCallPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("kms max attempts must be >= 1, got " + maxAttempts);
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("kms call timeout must be positive");
        }
    }

    /** Production defaults: 5 s per attempt, 3 attempts, 200 ms..2 s backoff, open 30 s after 5 failures. */
    public static KmsCallPolicy defaults() {
        return new KmsCallPolicy(
                Duration.ofSeconds(5), 3, Duration.ofMillis(200), Duration.ofSeconds(2), 5, Duration.ofSeconds(30));
    }

    /** Backoff before attempt {@code attempt} (2-based). */
    Duration backoffBefore(int attempt) {
        long factor = 1L << Math.min(20, attempt - 2);
        Duration d = initialBackoff.multipliedBy(factor);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
