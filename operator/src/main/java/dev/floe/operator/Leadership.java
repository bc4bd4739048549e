package dev.floe.operator;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this process holds the leader-election Lease, as told by the Lease callbacks. JOSDK
 * starts the informers of a standby too (warm caches make a takeover fast) and reports it as
 * started, so only these callbacks say whether the process reconciles; the readiness probe's
 * message and the shutdown path use it.
 */
public final class Leadership {
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    public boolean leading() {
        return leading.get();
    }

    void startedLeading() {
        leading.set(true);
    }

    void stoppedLeading() {
        leading.set(false);
    }

    /** Set by the shutdown hook before the operator stops, so giving up the Lease is not fatal. */
    public void shuttingDown() {
        shuttingDown.set(true);
    }

    public boolean isShuttingDown() {
        return shuttingDown.get();
    }
}
