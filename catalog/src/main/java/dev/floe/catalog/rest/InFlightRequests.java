package dev.floe.catalog.rest;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.UnprocessableEntityException;

/**
 * The idempotent requests running in this process, by key: a concurrent retry with the same key
 * waits for the first attempt instead of running twice. An entry lives only while its request runs
 * (the durable record answers later retries), so this holds no finished responses and its memory
 * is bounded by the number of requests in progress.
 */
public final class InFlightRequests {

    private record Entry(String fingerprint, CompletableFuture<StoredResponse> result) {}

    private final Map<String, Entry> running = new ConcurrentHashMap<>();

    /**
     * Runs {@code action} unless a request with {@code key} is already running here, in which case
     * its response is awaited and returned (if it failed without a response, this one runs).
     *
     * @throws UnprocessableEntityException if the running request has another fingerprint
     */
    public StoredResponse run(String key, String fingerprint, Supplier<StoredResponse> action) {
        while (true) {
            CompletableFuture<StoredResponse> mine = new CompletableFuture<>();
            Entry entry = running.computeIfAbsent(key, k -> new Entry(fingerprint, mine));
            if (!entry.fingerprint().equals(fingerprint)) {
                throw IdempotencyConflict.reused(key);
            }
            if (entry.result() == mine) {
                return runFirst(key, entry, action);
            }
            try {
                return entry.result().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an idempotent request", e);
            } catch (ExecutionException e) {
                // the first attempt ended without a response: run this one (loop claims the key again)
            }
        }
    }

    /** How many requests are running (for tests and the benchmark). */
    public int size() {
        return running.size();
    }

    private StoredResponse runFirst(String key, Entry entry, Supplier<StoredResponse> action) {
        try {
            StoredResponse response = action.get();
            entry.result().complete(response);
            return response;
        } catch (RuntimeException | Error e) {
            entry.result().completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, entry);
        }
    }
}
