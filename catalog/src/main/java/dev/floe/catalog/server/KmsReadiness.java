package dev.floe.catalog.server;

import dev.floe.catalog.kms.CircuitBreaker;
import dev.floe.catalog.kms.ResilientKeyProvider;
import io.micronaut.health.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Decides the KMS part of this replica's readiness, in one place. The KMS counts as reachable when
 * the key provider's circuit breaker is closed (calls, of real traffic or of this check, have not
 * just failed repeatedly) and the latest health call succeeded. That health call is made at most once per {@code interval}
 * whatever the number of probes (concurrent probes share the call in flight), and a probe waits for
 * it at most {@code probeWait}, so probes neither load the KMS (on AWS each call is DescribeKey and
 * ListKeyRotations) nor hang on a slow one. While the KMS is unreachable, a replica that still holds
 * the active data key unwrapped can serve reads and writes under it: it reports {@link #DEGRADED},
 * which readiness answers with HTTP 200, so that a KMS blip does not take every replica out of the
 * Service at once. Without the active key cached it reports DOWN (HTTP 503).
 */
public final class KmsReadiness {

    /**
     * KMS unreachable, active data key cached. {@code operational} is left unset on purpose:
     * Micronaut's {@link HealthStatus#compareTo} compares only the operational flags when both are
     * set, so an operational DEGRADED would rank equal to UP and the overall readiness status would be
     * whichever indicator answered last. Unset, it ranks above UP and UNKNOWN and below DOWN by its
     * severity; the HTTP code comes from {@code endpoints.health.status.http-mapping.DEGRADED=OK}
     * (and Micronaut's fallback for unmapped statuses without an operational flag is 200 as well).
     */
    public static final HealthStatus DEGRADED =
            new HealthStatus("DEGRADED", "KMS unreachable; serving from cached data keys", null, 500);

    /**
     * What readiness reports for the KMS.
     *
     * @param status          UP, {@link #DEGRADED} or DOWN
     * @param breaker         the key provider's circuit-breaker state at the time of the probe
     * @param healthCallOk    whether the latest KMS health call succeeded
     * @param activeKeyCached whether the active data key is cached (only asked while the KMS is
     *                        unreachable; {@code null} otherwise)
     * @param checkedAt       when the latest KMS health call finished, or null if none has yet
     * @param failure         why the KMS counts as unreachable (no secrets: KMS errors carry none), or null
     */
    public record Verdict(
            HealthStatus status,
            CircuitBreaker.State breaker,
            boolean healthCallOk,
            Boolean activeKeyCached,
            Instant checkedAt,
            String failure) {}

    /** The result of one KMS health call. */
    private record Check(boolean ok, String failure, Instant at) {}

    private final ResilientKeyProvider provider;
    private final BooleanSupplier activeKeyCached;
    private final Duration interval;
    private final Duration probeWait;
    private final Clock clock;
    private final Executor executor;
    private CompletableFuture<Check> latest;

    /**
     * @param activeKeyCached whether the active data key is cached; must not call the KMS
     * @param interval        shortest time between two KMS health calls
     * @param probeWait       longest a probe waits for a health call in flight
     * @param executor        runs the health calls (off the probe's thread)
     */
    public KmsReadiness(
            ResilientKeyProvider provider,
            BooleanSupplier activeKeyCached,
            Duration interval,
            Duration probeWait,
            Clock clock,
            Executor executor) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(
                    "floe.readiness.kms-check-interval must be a positive duration (e.g. 30s), got " + interval);
        }
        this.provider = provider;
        this.activeKeyCached = activeKeyCached;
        this.interval = interval;
        this.probeWait = probeWait;
        this.clock = clock;
        this.executor = executor;
    }

    /** The KMS readiness now; makes at most one KMS call per interval across all callers. */
    public Verdict assess() {
        CircuitBreaker.State breaker = provider.breakerState();
        // An open breaker is fresher evidence than any cached health call, and a call now would only be
        // rejected by it: no call, the KMS is unreachable.
        Check check = breaker == CircuitBreaker.State.OPEN ? lastFinished() : await(healthCall());
        // Any success closes the breaker, so one that is not closed now means the latest KMS call
        // failed, possibly after a successful health call still within its interval: not reachable.
        // A health call once the interval is over is the breaker's half-open trial.
        breaker = provider.breakerState();
        boolean reachable = breaker == CircuitBreaker.State.CLOSED && check != null && check.ok();
        Instant at = check == null ? null : check.at();
        if (reachable) {
            return new Verdict(HealthStatus.UP, breaker, true, null, at, null);
        }
        String failure = breaker != CircuitBreaker.State.CLOSED
                ? "circuit breaker " + breaker + " after repeated KMS failures"
                : check == null ? "no KMS health call has finished yet" : check.failure();
        boolean cached = activeKeyCached.getAsBoolean();
        return new Verdict(
                cached ? DEGRADED : HealthStatus.DOWN, breaker, check != null && check.ok(), cached, at, failure);
    }

    /** The health call to use: the latest if younger than the interval or still running, else a new one. */
    private synchronized CompletableFuture<Check> healthCall() {
        if (latest != null) {
            if (!latest.isDone()) {
                return latest;
            }
            Check done = latest.join();
            if (Duration.between(done.at(), clock.instant()).compareTo(interval) < 0) {
                return latest;
            }
        }
        latest = CompletableFuture.supplyAsync(this::callKms, executor);
        return latest;
    }

    private synchronized Check lastFinished() {
        return latest != null && latest.isDone() ? latest.join() : null;
    }

    private Check callKms() {
        try {
            provider.checkHealth();
            return new Check(true, null, clock.instant());
        } catch (RuntimeException e) {
            return new Check(false, e.getMessage(), clock.instant());
        }
    }

    private Check await(CompletableFuture<Check> call) {
        try {
            return call.get(probeWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The call goes on and its result serves the next probes; this probe cannot wait longer.
            return new Check(false, "KMS health call still running after " + probeWait, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(false, "interrupted while waiting for the KMS health call", null);
        } catch (ExecutionException e) {
            return new Check(false, String.valueOf(e.getCause()), null);
        }
    }
}
