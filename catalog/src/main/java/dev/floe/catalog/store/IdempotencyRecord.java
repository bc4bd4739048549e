package dev.floe.catalog.store;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.Objects;

/**
 * The first response to a mutation sent with an {@code Idempotency-Key}, replayed for retries of
 * the same request until it expires.
 *
 * @param warehouse    the warehouse (REST prefix) the request addressed
 * @param key          the client's idempotency key
 * @param fingerprint  a hash of the request (method, path, body) so a reused key with a different
 *                     request can be told apart; not secret, stored in clear
 * @param status       the HTTP status of the first response
 * @param responseBody the first response's body (sealed at rest), possibly empty
 * @param responseDigest hex SHA-256 of the first response's body when that body was too large to
 *                     keep (then {@code responseBody} is empty and a replay reloads the object);
 *                     null when the body is kept
 * @param createdAt    when the first response was recorded
 * @param expiresAt    after this instant the record is ignored and may be deleted
 */
public record IdempotencyRecord(
        String warehouse,
        String key,
        String fingerprint,
        int status,
        String responseBody,
        @Nullable String responseDigest,
        Instant createdAt,
        Instant expiresAt) {

    public IdempotencyRecord {
        Objects.requireNonNull(warehouse, "warehouse");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        responseBody = responseBody == null ? "" : responseBody;
    }

    /** A record whose body is kept (no digest). */
    public IdempotencyRecord(
            String warehouse,
            String key,
            String fingerprint,
            int status,
            String responseBody,
            Instant createdAt,
            Instant expiresAt) {
        this(warehouse, key, fingerprint, status, responseBody, null, createdAt, expiresAt);
    }

    @Override
    public String toString() {
        // the body may carry metadata locations or credentials: never print it
        return "IdempotencyRecord[" + warehouse + " " + key + " status=" + status + " expiresAt=" + expiresAt + "]";
    }
}
