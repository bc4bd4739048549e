package dev.floe.catalog.security;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per caller (a client address or an API key): {@code ratePerSecond} sustained with
 * bursts up to {@code burst}. Answers how long to wait when a bucket is empty, for
 * {@code Retry-After}. Memory is bounded: idle full buckets are dropped when the map grows.
 * A rate of 0 switches the limiter off ({@link #acquire} always allows): the per-credential limit
 * is off by default, as in Polaris and Lakekeeper, because one engine normally shares one key.
 */
public final class RateLimiter {

    private static final int MAX_BUCKETS = 100_000;

    private final double ratePerSecond;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    public RateLimiter(double ratePerSecond, int burst, Clock clock) {
        if (ratePerSecond < 0 || (ratePerSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("rate limit must be >= 0 (0: off) and burst at least 1");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /** Takes one token for {@code caller}: 0 when allowed, else the seconds to wait (at least 1). */
    public long acquire(String caller) {
        if (ratePerSecond == 0) {
            return 0;
        }
        long now = clock.millis() * 1_000_000L;
        if (buckets.size() > MAX_BUCKETS) {
            buckets.entrySet().removeIf(e -> refill(e.getValue(), now) >= burst);
        }
        Bucket bucket = buckets.computeIfAbsent(caller, k -> new Bucket(burst, now));
        synchronized (bucket) {
            double tokens = refill(bucket, now);
            if (tokens >= 1) {
                bucket.tokens = tokens - 1;
                bucket.updatedNanos = now;
                return 0;
            }
            bucket.tokens = tokens;
            bucket.updatedNanos = now;
            return (long) Math.ceil((1 - tokens) / ratePerSecond);
        }
    }

    /** False when this limiter was configured with rate 0 and never refuses. */
    public boolean enabled() {
        return ratePerSecond > 0;
    }

    private double refill(Bucket bucket, long now) {
        double elapsed = Math.max(0, now - bucket.updatedNanos) / 1e9;
        return Math.min(burst, bucket.tokens + elapsed * ratePerSecond);
    }
}
