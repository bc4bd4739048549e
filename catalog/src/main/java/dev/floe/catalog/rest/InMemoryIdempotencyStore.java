package dev.floe.catalog.rest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * Idempotency records held in this process (lost on restart, not shared between replicas). Also
 * used in front of the durable store to make concurrent retries within one process wait for the
 * first attempt instead of running twice.
 */
public class InMemoryIdempotencyStore implements IdempotencyStore {

    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(30);
    private static final int MAX_ENTRIES = 100_000;

    private record Entry(String operation, long createdNanos, CompletableFuture<StoredResponse> result) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration lifetime;

    /** Keeps responses for 30 minutes. */
    public InMemoryIdempotencyStore() {
        this(DEFAULT_LIFETIME);
    }

    /** Keeps responses for {@code lifetime}. */
    public InMemoryIdempotencyStore(Duration lifetime) {
        this.lifetime = lifetime;
    }

    @Override
    public Duration lifetime() {
        return lifetime;
    }

    @Override
    public StoredResponse execute(String key, String operation, Supplier<StoredResponse> action) {
        long now = System.nanoTime();
        if (entries.size() > MAX_ENTRIES) {
            entries.values().removeIf(e -> e.result().isDone() && expired(e, now));
        }
        CompletableFuture<StoredResponse> mine = new CompletableFuture<>();
        Entry entry = entries.compute(key, (k, current) ->
                current == null || (current.result().isDone() && expired(current, now))
                        ? new Entry(operation, now, mine) : current);
        if (!entry.operation().equals(operation)) {
            throw new BadRequestException("Idempotency-Key %s was already used for a different operation", key);
        }
        if (entry.result() != mine) {
            try {
                return entry.result().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an idempotent request", e);
            } catch (ExecutionException e) {
                // the first attempt did not finish with a final response: run this one
                entries.remove(key, entry);
                return execute(key, operation, action);
            }
        }
        try {
            StoredResponse response = action.get();
            if (!response.isFinal()) {
                entries.remove(key, entry);
            }
            mine.complete(response);
            return response;
        } catch (RuntimeException | Error e) {
            entries.remove(key, entry);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private boolean expired(Entry entry, long now) {
        return now - entry.createdNanos() > lifetime.toNanos();
    }
}
