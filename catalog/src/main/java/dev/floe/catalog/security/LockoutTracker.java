package dev.floe.catalog.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locks out a client address for a while after repeated failed authentications, which turns online
 * guessing of credentials into a crawl. Counts failures in a sliding window; a success clears them.
 */
public final class LockoutTracker {

    private final int maxFailures;
    private final Duration window;
    private final Duration lockout;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Map<String, Instant> lockedUntil = new ConcurrentHashMap<>();

    public LockoutTracker(int maxFailures, Duration window, Duration lockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockout = lockout;
        this.clock = clock;
    }

    /** Seconds until {@code address} may try again, or 0 if it is not locked out. */
    public long lockedForSeconds(String address) {
        Instant until = lockedUntil.get(address);
        if (until == null) {
            return 0;
        }
        Instant now = clock.instant();
        if (!until.isAfter(now)) {
            lockedUntil.remove(address, until);
            return 0;
        }
        return Math.max(1, Duration.between(now, until).toSeconds() + 1);
    }

    /** Records a failed authentication; true if this failure started a lockout. */
    public boolean recordFailure(String address) {
        Instant now = clock.instant();
        if (failures.size() > 100_000) {
            failures.entrySet().removeIf(e -> e.getValue().isEmpty() || e.getValue().peekLast().isBefore(now.minus(window)));
        }
        Deque<Instant> times = failures.computeIfAbsent(address, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(window))) {
                times.pollFirst();
            }
            if (times.size() >= maxFailures) {
                times.clear();
                lockedUntil.put(address, now.plus(lockout));
                return true;
            }
        }
        return false;
    }

    /** Records a successful authentication. */
    public void recordSuccess(String address) {
        failures.remove(address);
    }
}
