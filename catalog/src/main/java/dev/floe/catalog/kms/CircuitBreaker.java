package dev.floe.catalog.kms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A small count-based circuit breaker for KMS calls. After {@code failureThreshold} consecutive
 * transient failures it opens and rejects calls at once for {@code openDuration}, so a dead KMS
 * costs callers no timeouts; then it lets one trial call through (half-open) and closes again on
 * success. Thread-safe.
 */
public final class CircuitBreaker {

    /** Where the breaker is; reported by readiness. */
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int failureThreshold;
    private final Duration openDuration;
    private final Clock clock;

    private int consecutiveFailures;
    private Instant openedAt;
    private boolean trialInFlight;

    public CircuitBreaker(int failureThreshold, Duration openDuration, Clock clock) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be >= 1");
        }
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
        this.clock = clock;
    }

    /** Whether a call may go out now; in half-open state only one trial call at a time may. */
    public synchronized boolean tryAcquire() {
        if (openedAt == null) {
            return true;
        }
        if (clock.instant().isBefore(openedAt.plus(openDuration)) || trialInFlight) {
            return false;
        }
        trialInFlight = true;
        return true;
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        openedAt = null;
        trialInFlight = false;
    }

    /** A transient failure (permanent ones prove the KMS answers and count as success). */
    public synchronized void onFailure() {
        consecutiveFailures++;
        trialInFlight = false;
        if (openedAt != null || consecutiveFailures >= failureThreshold) {
            openedAt = clock.instant();
        }
    }

    public synchronized State state() {
        if (openedAt == null) {
            return State.CLOSED;
        }
        return clock.instant().isBefore(openedAt.plus(openDuration)) ? State.OPEN : State.HALF_OPEN;
    }

    /** Time until a trial call will be let through; zero when closed. */
    public synchronized Duration remainingOpen() {
        if (openedAt == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), openedAt.plus(openDuration));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
