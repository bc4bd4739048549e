package dev.floe.catalog.server;

import dev.floe.catalog.rest.IdempotencyConflict;
import dev.floe.catalog.rest.IdempotencyStore;
import dev.floe.catalog.rest.InFlightRequests;
import dev.floe.catalog.rest.RequestFingerprint;
import dev.floe.catalog.rest.StoredResponse;
import dev.floe.catalog.store.IdempotencyRecord;
import dev.floe.catalog.store.IdempotencyRepository;
import io.micronaut.core.annotation.Nullable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency records in the metadata store (sealed, shared by every replica, kept across
 * restarts). Concurrent retries inside one process are coalesced in memory first
 * ({@link InFlightRequests}, which forgets a request once it has finished: the record answers
 * later retries). Across replicas the key is claimed in the database before the mutation runs: the
 * claim is an insert under the table's primary key (warehouse, key), so exactly one replica wins it
 * and runs the request; the others wait for its final response and replay it. When the first
 * request is still running after {@code inFlightWait}, the waiter answers 503 with
 * {@code Retry-After} (not stored): Iceberg clients retry 503 with the same key and then get the
 * replay, whereas a 409 would make a table commit re-apply its changes as a new commit. A claim
 * whose replica died is taken over once its lease ({@code inFlightLease}) has run out.
 *
 * <p>Every record carries the request's fingerprint; a key reused with another fingerprint is
 * refused with 422. A response heavier than {@code maxStoredResponse} is recorded by its SHA-256
 * only and replayed by reloading the object (its current state), so a table with megabytes of
 * metadata does not leave a copy of it per commit in the database.
 */
final class StoreIdempotencyStore implements IdempotencyStore {

    private static final Logger LOG = LoggerFactory.getLogger(StoreIdempotencyStore.class);
    /** Keys are UUIDs the client made globally unique, so records are not split by warehouse. */
    private static final String SCOPE = "*";

    private static final long FIRST_POLL_NANOS = Duration.ofMillis(5).toNanos();
    private static final long MAX_POLL_NANOS = Duration.ofMillis(200).toNanos();

    private final IdempotencyRepository repository;
    private final InFlightRequests inProcess = new InFlightRequests();
    private final Clock clock;
    private final IdempotencySettings settings;

    StoreIdempotencyStore(IdempotencyRepository repository, Clock clock, IdempotencySettings settings) {
        this.repository = repository;
        this.clock = clock;
        this.settings = settings;
    }

    @Override
    public Duration lifetime() {
        return settings.lifetime();
    }

    /** The requests running in this process (the only idempotency state held in memory). */
    int inFlight() {
        return inProcess.size();
    }

    @Override
    public StoredResponse execute(
            String key,
            String fingerprint,
            Supplier<StoredResponse> action,
            @Nullable Supplier<StoredResponse> reload) {
        Optional<IdempotencyRecord> earlier = repository
                .find(SCOPE, key, clock.instant())
                .filter(record -> record.status() != IdempotencyRepository.IN_FLIGHT);
        if (earlier.isPresent()) {
            return replay(earlier.get(), key, fingerprint, reload);
        }
        return inProcess.run(key, fingerprint, () -> claimAndRun(key, fingerprint, action, reload));
    }

    private StoredResponse claimAndRun(
            String key,
            String fingerprint,
            Supplier<StoredResponse> action,
            @Nullable Supplier<StoredResponse> reload) {
        long deadline = System.nanoTime() + settings.inFlightWait().toNanos();
        long pause = FIRST_POLL_NANOS;
        while (true) {
            Instant now = clock.instant();
            if (repository.claim(SCOPE, key, fingerprint, now, now.plus(settings.inFlightLease()))) {
                return runClaimed(key, action, reload != null);
            }
            Optional<IdempotencyRecord> holder = repository.find(SCOPE, key, clock.instant());
            if (holder.isPresent()) {
                IdempotencyRecord record = holder.get();
                if (record.status() != IdempotencyRepository.IN_FLIGHT) {
                    return replay(record, key, fingerprint, reload);
                }
                checkSameRequest(record, key, fingerprint);
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

    private StoredResponse runClaimed(String key, Supplier<StoredResponse> action, boolean reloadable) {
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
        Instant expires = clock.instant().plus(settings.lifetime());
        // complete(...) is false only when our lease ran out and another request took the key over:
        // this request did run, so its own response is still the truthful answer to this caller
        if (!response.heavierThan(settings.maxStoredResponse())) {
            repository.complete(SCOPE, key, response.status(), response.body(), expires);
        } else if (reloadable) {
            repository.complete(
                    SCOPE, key, response.status(), "", RequestFingerprint.sha256Hex(response.body()), expires);
        } else {
            // too large to keep and no way to rebuild it: forget the key, a retry runs again
            repository.release(SCOPE, key);
        }
        return response;
    }

    private StoredResponse replay(
            IdempotencyRecord record, String key, String fingerprint, @Nullable Supplier<StoredResponse> reload) {
        checkSameRequest(record, key, fingerprint);
        if (record.responseDigest() == null) {
            return new StoredResponse(record.status(), record.responseBody().isEmpty() ? null : record.responseBody());
        }
        if (reload == null) {
            // same fingerprint means same endpoint, which passed a reload when it recorded the digest
            throw new IllegalStateException("Idempotency-Key " + key + " needs a reload its endpoint does not offer");
        }
        StoredResponse current = reload.get();
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "Idempotency-Key {} replayed by reloading: {}",
                    key,
                    record.responseDigest().equals(RequestFingerprint.sha256Hex(current.body()))
                            ? "same response as the first"
                            : "the object changed since");
        }
        return current;
    }

    private static void checkSameRequest(IdempotencyRecord record, String key, String fingerprint) {
        if (!record.fingerprint().equals(fingerprint)) {
            throw IdempotencyConflict.reused(key);
        }
    }
}
