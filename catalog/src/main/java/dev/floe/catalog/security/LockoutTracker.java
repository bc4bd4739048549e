package dev.floe.catalog.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down a client that keeps presenting a bad credential: after {@code maxFailures} failed
 * authentications within {@code window} from one client address with one presented key id, further
 * failures of that pair are answered 429 for {@code lockout}. Keyed by the pair, not the address,
 * because many callers share one address behind an ingress, SNAT or NAT: one caller's failures do
 * not lock out another key, and a valid credential is never refused (callers check the lockout only
 * after a credential failed to verify). Memory is bounded: pairs whose failures and lockout have
 * expired are pruned at least once per window, and at most {@link #MAX_TRACKED} pairs are tracked
 * (beyond that, new pairs are not counted until pruning makes room).
 */
public final class LockoutTracker {

    /** At most this many (address, key id) pairs are remembered. */
    public static final int MAX_TRACKED = 100_000;

    private record Caller(String address, String keyId) {}

    /** Recent failures of one pair, and until when it is locked. Guarded by its own monitor. */
    private static final class Failures {
        final Deque<Instant> times = new ArrayDeque<>();
        Instant lockedUntil = Instant.MIN;
    }

    private final int maxFailures;
    private final Duration window;
    private final Duration lockout;
    private final Clock clock;
    private final int maxTracked;
    private final Map<Caller, Failures> callers = new ConcurrentHashMap<>();
    private volatile Instant nextPrune = Instant.MIN;

    public LockoutTracker(int maxFailures, Duration window, Duration lockout, Clock clock) {
        this(maxFailures, window, lockout, clock, MAX_TRACKED);
    }

    LockoutTracker(int maxFailures, Duration window, Duration lockout, Clock clock, int maxTracked) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockout = lockout;
        this.clock = clock;
        this.maxTracked = maxTracked;
    }

    /** Seconds until {@code keyId} may fail again from {@code address} without a 429, or 0 if not locked. */
    public long lockedForSeconds(String address, String keyId) {
        Failures failures = callers.get(new Caller(address, keyId));
        if (failures == null) {
            return 0;
        }
        Instant now = clock.instant();
        synchronized (failures) {
            if (!failures.lockedUntil.isAfter(now)) {
                return 0;
            }
            return Math.max(1, Duration.between(now, failures.lockedUntil).toSeconds() + 1);
        }
    }

    /** Records a failed authentication of {@code keyId} from {@code address}; true if it started a lockout. */
    public boolean recordFailure(String address, String keyId) {
        Instant now = clock.instant();
        Caller caller = new Caller(address, keyId);
        if (now.isAfter(nextPrune) || (callers.size() >= maxTracked && !callers.containsKey(caller))) {
            prune(now);
        }
        Failures failures = callers.size() < maxTracked
                ? callers.computeIfAbsent(caller, k -> new Failures())
                : callers.get(caller);
        if (failures == null) {
            return false; // full of live pairs (a flood of distinct ones): this one is not counted
        }
        synchronized (failures) {
            failures.times.addLast(now);
            dropOld(failures, now);
            if (failures.times.size() >= maxFailures) {
                failures.times.clear();
                failures.lockedUntil = now.plus(lockout);
                return true;
            }
        }
        return false;
    }

    /** How many pairs are remembered (for tests and metrics). */
    public int tracked() {
        return callers.size();
    }

    private void prune(Instant now) {
        nextPrune = now.plus(window);
        callers.values().removeIf(failures -> {
            synchronized (failures) {
                dropOld(failures, now);
                return failures.times.isEmpty() && !failures.lockedUntil.isAfter(now);
            }
        });
    }

    private void dropOld(Failures failures, Instant now) {
        Instant oldest = now.minus(window);
        while (!failures.times.isEmpty() && failures.times.peekFirst().isBefore(oldest)) {
            failures.times.pollFirst();
        }
    }
}
