package dev.floe.catalog.crypto;

import dev.floe.catalog.kms.KmsMetrics;
import dev.floe.catalog.kms.SecretBytes;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Bounded in-memory cache of unwrapped data keys with a time-to-live. Entries beyond
 * {@code maxEntries} (least recently used first) and entries older than {@code ttl} are evicted and
 * zeroised at once. Callers never get the cached holder itself: {@link #get} returns a copy the
 * caller closes, so an eviction can never pull a key out from under an encryption in progress.
 */
public final class DataKeyCache implements AutoCloseable {

    private record Entry(SecretBytes key, long loadedAtNanos) {}

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final KmsMetrics metrics;
    private final LinkedHashMap<UUID, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    public DataKeyCache(int maxEntries, Duration ttl, LongSupplier nanoClock) {
        this(maxEntries, ttl, nanoClock, KmsMetrics.NONE);
    }

    /** As above, counting hits and misses of {@link #get} in {@code metrics} ({@code floe.dek.cache}). */
    public DataKeyCache(int maxEntries, Duration ttl, LongSupplier nanoClock, KmsMetrics metrics) {
        this.metrics = metrics;
        if (maxEntries < 1) {
            throw new IllegalArgumentException("[kms] dek_cache_size must be >= 1");
        }
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    public DataKeyCache(int maxEntries, Duration ttl) {
        this(maxEntries, ttl, System::nanoTime);
    }

    /** A caller-owned copy of the cached key, if present and not expired. */
    public synchronized Optional<SecretBytes> get(UUID id) {
        Entry e = entries.get(id);
        if (e == null) {
            metrics.dekCache(false);
            return Optional.empty();
        }
        if (expired(e)) {
            entries.remove(id);
            e.key().close();
            metrics.dekCache(false);
            return Optional.empty();
        }
        metrics.dekCache(true);
        return Optional.of(e.key().copy());
    }

    /** Caches {@code key}, taking ownership: the cache zeroises it on eviction. */
    public synchronized void put(UUID id, SecretBytes key) {
        Entry previous = entries.put(id, new Entry(key, nanoClock.getAsLong()));
        if (previous != null) {
            previous.key().close();
        }
        evictExpired();
        while (entries.size() > maxEntries) {
            Iterator<Map.Entry<UUID, Entry>> eldest = entries.entrySet().iterator();
            eldest.next().getValue().key().close();
            eldest.remove();
        }
    }

    /** Drops and zeroises one key (e.g. when it is destroyed). */
    public synchronized void invalidate(UUID id) {
        Entry e = entries.remove(id);
        if (e != null) {
            e.key().close();
        }
    }

    public synchronized int size() {
        evictExpired();
        return entries.size();
    }

    public synchronized boolean contains(UUID id) {
        Entry e = entries.get(id);
        return e != null && !expired(e);
    }

    @Override
    public synchronized void close() {
        entries.values().forEach(e -> e.key().close());
        entries.clear();
    }

    private boolean expired(Entry e) {
        return nanoClock.getAsLong() - e.loadedAtNanos() >= ttlNanos;
    }

    private void evictExpired() {
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (expired(e)) {
                e.key().close();
                it.remove();
            }
        }
    }
}
