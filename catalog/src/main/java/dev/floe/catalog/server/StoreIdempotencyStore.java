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
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * Idempotency records in the metadata store (sealed, shared by every replica, kept across
 * restarts). Concurrent retries inside one process are coalesced in memory first; across replicas
 * the first saved result wins and later ones replay it.
 */
final class StoreIdempotencyStore implements IdempotencyStore {

    /** Keys are UUIDs the client made globally unique, so records are not split by warehouse. */
    private static final String SCOPE = "*";

    private final IdempotencyRepository repository;
    private final InMemoryIdempotencyStore inFlight = new InMemoryIdempotencyStore();
    private final Clock clock;

    StoreIdempotencyStore(IdempotencyRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    public Duration lifetime() {
        return inFlight.lifetime();
    }

    @Override
    public StoredResponse execute(String key, String operation, Supplier<StoredResponse> action) {
        String fingerprint = fingerprint(operation);
        Optional<StoredResponse> earlier = replay(key, fingerprint);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        return inFlight.execute(key, operation, () -> {
            Optional<StoredResponse> raced = replay(key, fingerprint);
            if (raced.isPresent()) {
                return raced.get();
            }
            StoredResponse response = action.get();
            if (response.isFinal()) {
                Instant now = clock.instant();
                boolean saved = repository.save(new IdempotencyRecord(SCOPE, key, fingerprint, response.status(),
                        response.body(), now, now.plus(lifetime())));
                if (!saved) {
                    return replay(key, fingerprint).orElse(response);
                }
            }
            return response;
        });
    }

    private Optional<StoredResponse> replay(String key, String fingerprint) {
        return repository.find(SCOPE, key, clock.instant()).map(record -> {
            if (!record.fingerprint().equals(fingerprint)) {
                throw new BadRequestException("Idempotency-Key %s was already used for a different operation", key);
            }
            String body = record.responseBody().isEmpty() ? null : record.responseBody();
            return new StoredResponse(record.status(), body);
        });
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
