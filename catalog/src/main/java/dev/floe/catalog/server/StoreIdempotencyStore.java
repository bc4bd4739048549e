package dev.floe.catalog.server;

import dev.floe.catalog.rest.IdempotencyStore;
import dev.floe.catalog.rest.InMemoryIdempotencyStore;
import dev.floe.catalog.rest.StoredResponse;
import dev.floe.catalog.store.IdempotencyRecord;
import dev.floe.catalog.store.IdempotencyRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;

/**
 * Idempotency records in the metadata store (sealed, shared by every replica, kept across
 * restarts). Concurrent retries inside one process are coalesced in memory first. Across replicas
 * the key is claimed in the database before the mutation runs: the claim is an insert under the
 * table's primary key (warehouse, key), so exactly one replica wins it and runs the request; the
 * others wait for its final response and replay it. When the first request is still running after
 * {@code inFlightWait}, the waiter answers 503 with {@code Retry-After} (not stored): Iceberg
 * clients retry 503 with the same key and then get the replay, whereas a 409 would make a table
 * commit re-apply its changes as a new commit. A claim whose replica died is taken over once its
 * lease ({@code inFlightLease}) has run out.
 */
final class StoreIdempotencyStore implements IdempotencyStore {

    /** Keys are UUIDs the client made globally unique, so records are not split by warehouse. */
    private static final String SCOPE = "*";
    private static final long FIRST_POLL_NANOS = Duration.ofMillis(5).toNanos();
    private static final long MAX_POLL_NANOS = Duration.ofMillis(200).toNanos();

    private final IdempotencyRepository repository;
    private final InMemoryIdempotencyStore inProcess;
    private final Clock clock;
    private final IdempotencySettings settings;

    StoreIdempotencyStore(IdempotencyRepository repository, Clock clock, IdempotencySettings settings) {
        this.repository = repository;
        this.clock = clock;
        this.settings = settings;
        this.inProcess = new InMemoryIdempotencyStore(settings.lifetime());
    }

    @Override
    public Duration lifetime() {
        return settings.lifetime();
    }

    @Override
    public StoredResponse execute(String key, String operation, Supplier<StoredResponse> action) {
        String fingerprint = fingerprint(operation);
        Optional<StoredResponse> earlier = replay(key, fingerprint);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        return inProcess.execute(key, operation, () -> claimAndRun(key, fingerprint, action));
    }

    private StoredResponse claimAndRun(String key, String fingerprint, Supplier<StoredResponse> action) {
        long deadline = System.nanoTime() + settings.inFlightWait().toNanos();
        long pause = FIRST_POLL_NANOS;
        while (true) {
            Instant now = clock.instant();
            if (repository.claim(SCOPE, key, fingerprint, now, now.plus(settings.inFlightLease()))) {
                return runClaimed(key, action);
            }
            Optional<IdempotencyRecord> holder = repository.find(SCOPE, key, clock.instant());
            if (holder.isPresent()) {
                IdempotencyRecord record = holder.get();
                checkSameOperation(record, key, fingerprint);
                if (record.status() != IdempotencyRepository.IN_FLIGHT) {
                    return toResponse(record);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new ServiceUnavailableException(
                            "A request with Idempotency-Key %s is still in progress; retry with the same key", key);
                }
                // another replica runs it: poll for its final response (short, bounded pauses)
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, MAX_POLL_NANOS);
            }
            // else: the holder was released or expired between our claim and the read: claim again
        }
    }

    private StoredResponse runClaimed(String key, Supplier<StoredResponse> action) {
        StoredResponse response;
        try {
            response = action.get();
        } catch (RuntimeException | Error e) {
            repository.release(SCOPE, key);
            throw e;
        }
        if (!response.isFinal()) {
            repository.release(SCOPE, key); // 5xx: not kept, a retry runs again
            return response;
        }
        // false only when our lease ran out and another request took the key over: this request
        // did run, so its own response is still the truthful answer to this caller
        repository.complete(SCOPE, key, response.status(), response.body(), clock.instant().plus(settings.lifetime()));
        return response;
    }

    private Optional<StoredResponse> replay(String key, String fingerprint) {
        return repository.find(SCOPE, key, clock.instant())
                .filter(record -> record.status() != IdempotencyRepository.IN_FLIGHT)
                .map(record -> {
                    checkSameOperation(record, key, fingerprint);
                    return toResponse(record);
                });
    }

    private static void checkSameOperation(IdempotencyRecord record, String key, String fingerprint) {
        if (!record.fingerprint().equals(fingerprint)) {
            throw new BadRequestException("Idempotency-Key %s was already used for a different operation", key);
        }
    }

    private static StoredResponse toResponse(IdempotencyRecord record) {
        return new StoredResponse(record.status(), record.responseBody().isEmpty() ? null : record.responseBody());
    }

    private static String fingerprint(String operation) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(operation.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
