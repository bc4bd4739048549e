package dev.floe.catalog.store;

import dev.floe.catalog.crypto.SealContext;
import io.micronaut.core.annotation.Nullable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code idempotency_records} table: the first result of each mutation sent with an
 * {@code Idempotency-Key}, keyed by (warehouse, key). The response body is sealed; expired records
 * are invisible to {@link #find} and removed by {@link #deleteExpired}. Either save a finished
 * response with {@link #save}, or {@link #claim} the key first, run the request, then
 * {@link #complete} (or {@link #release}) it: a record with status {@link #IN_FLIGHT} tells other
 * replicas to wait and re-read.
 */
public final class IdempotencyRepository {

    /** The status of a claimed key whose request is still running (no HTTP status is 0). */
    public static final int IN_FLIGHT = 0;

    static final String KIND = "idempotency";
    static final String RESPONSE = "response";

    private final Jdbc jdbc;
    private final Sealing sealing;

    IdempotencyRepository(Jdbc jdbc, Sealing sealing) {
        this.jdbc = jdbc;
        this.sealing = sealing;
    }

    /** The unexpired record for this key, if any. */
    public Optional<IdempotencyRecord> find(String warehouse, String key, Instant now) {
        return jdbc.withConnection("load idempotency record", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT fingerprint, status, response, response_digest, created_at, expires_at"
                            + " FROM idempotency_records"
                            + " WHERE warehouse = ? AND idem_key = ? AND expires_at > ?")) {
                ps.setString(1, warehouse);
                ps.setString(2, key);
                ps.setLong(3, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new IdempotencyRecord(
                            warehouse,
                            key,
                            rs.getString(1),
                            rs.getInt(2),
                            sealing.open(rs.getBytes(3), context(warehouse, key)),
                            rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)),
                            Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
        });
    }

    /**
     * Stores the first result for a key. When an unexpired record already exists (a concurrent
     * request with the same key won), nothing is written and false is returned: the caller should
     * replay {@link #find}'s record instead of its own. An expired record is replaced.
     */
    public boolean save(IdempotencyRecord record) {
        return jdbc.inTransaction("save idempotency record", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM idempotency_records WHERE warehouse = ? AND idem_key = ? AND expires_at <= ?")) {
                ps.setString(1, record.warehouse());
                ps.setString(2, record.key());
                ps.setLong(3, record.createdAt().toEpochMilli());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO idempotency_records (warehouse, idem_key, fingerprint, status, response,"
                            + " response_digest, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING")) {
                ps.setString(1, record.warehouse());
                ps.setString(2, record.key());
                ps.setString(3, record.fingerprint());
                ps.setInt(4, record.status());
                ps.setBytes(5, sealing.seal(record.responseBody(), context(record.warehouse(), record.key())));
                ps.setString(6, record.responseDigest());
                ps.setLong(7, record.createdAt().toEpochMilli());
                ps.setLong(8, record.expiresAt().toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Claims a key before running the request, so replicas running the same key wait instead of
     * running it twice: saves a record with status {@link #IN_FLIGHT} and an empty body. False when
     * an unexpired record (finished or in flight) already holds the key.
     */
    public boolean claim(String warehouse, String key, String fingerprint, Instant now, Instant expiresAt) {
        return save(new IdempotencyRecord(warehouse, key, fingerprint, IN_FLIGHT, "", now, expiresAt));
    }

    /**
     * Records the final response of a claimed key and keeps it until {@code expiresAt}; false when
     * the claim is gone (its lease expired and another request took the key over, or released).
     */
    public boolean complete(String warehouse, String key, int status, String responseBody, Instant expiresAt) {
        return complete(warehouse, key, status, responseBody, null, expiresAt);
    }

    /**
     * As {@link #complete(String, String, int, String, Instant)}; with a {@code responseDigest} (hex
     * SHA-256 of a body too large to keep) and an empty {@code responseBody}, the record says that a
     * replay must reload the object.
     */
    public boolean complete(
            String warehouse,
            String key,
            int status,
            String responseBody,
            @Nullable String responseDigest,
            Instant expiresAt) {
        if (status == IN_FLIGHT) {
            throw new IllegalArgumentException("status " + IN_FLIGHT + " is reserved for in-flight claims");
        }
        return jdbc.withConnection("complete idempotency record", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE idempotency_records SET status = ?, response = ?, response_digest = ?, expires_at = ?"
                            + " WHERE warehouse = ? AND idem_key = ? AND status = " + IN_FLIGHT)) {
                ps.setInt(1, status);
                ps.setBytes(2, sealing.seal(responseBody == null ? "" : responseBody, context(warehouse, key)));
                ps.setString(3, responseDigest);
                ps.setLong(4, expiresAt.toEpochMilli());
                ps.setString(5, warehouse);
                ps.setString(6, key);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Drops an in-flight claim whose request should not be remembered (e.g. it failed with 5xx). */
    public boolean release(String warehouse, String key) {
        return jdbc.withConnection("release idempotency record", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM idempotency_records WHERE warehouse = ? AND idem_key = ? AND status = " + IN_FLIGHT)) {
                ps.setString(1, warehouse);
                ps.setString(2, key);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Deletes every record that expired at or before {@code now}; returns how many. */
    public int deleteExpired(Instant now) {
        return jdbc.withConnection("expire idempotency records", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_records WHERE expires_at <= ?")) {
                ps.setLong(1, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    static SealContext context(String warehouse, String key) {
        return new SealContext(warehouse, KIND, key, RESPONSE);
    }
}
