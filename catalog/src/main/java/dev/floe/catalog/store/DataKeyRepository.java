package dev.floe.catalog.store;

import dev.floe.catalog.crypto.DataKeyRecord;
import dev.floe.catalog.crypto.DataKeyState;
import dev.floe.catalog.crypto.DataKeyStore;
import dev.floe.catalog.kms.WrappedKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * JDBC repository of the DEK ring, table {@code data_keys} (migrations V20+, SQLite and
 * PostgreSQL). Activation of a new data key and retirement of the previous one happen in one
 * transaction, and a partial unique index guarantees a single ACTIVE row even across replicas.
 * Wrapped keys are KMS ciphertexts, stored as they are; unwrapped keys never reach the database.
 */
public final class DataKeyRepository implements DataKeyStore {

    private static final String COLUMNS =
            "id, wrapped_key, provider, master_key_id, master_key_version, state, created_at, updated_at";

    private final DataSource dataSource;
    private final Clock clock;

    public DataKeyRepository(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public DataKeyRepository(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    @Override
    public Optional<DataKeyRecord> find(UUID id) {
        return queryOne("SELECT " + COLUMNS + " FROM data_keys WHERE id = ?", id.toString());
    }

    @Override
    public Optional<DataKeyRecord> findActive() {
        return queryOne("SELECT " + COLUMNS + " FROM data_keys WHERE state = ?", DataKeyState.ACTIVE.name());
    }

    @Override
    public List<DataKeyRecord> list() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT " + COLUMNS + " FROM data_keys ORDER BY created_at, id");
                ResultSet rs = ps.executeQuery()) {
            List<DataKeyRecord> out = new ArrayList<>();
            while (rs.next()) {
                out.add(read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw failure("list data keys", e);
        }
    }

    @Override
    public boolean activate(DataKeyRecord fresh, Optional<UUID> expectedActive) {
        if (fresh.state() != DataKeyState.ACTIVE) {
            throw new IllegalArgumentException("a data key to activate must be in state ACTIVE");
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                long now = clock.millis();
                boolean precondition;
                if (expectedActive.isPresent()) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE data_keys SET state = ?, updated_at = ? WHERE id = ? AND state = ?")) {
                        ps.setString(1, DataKeyState.RETIRED.name());
                        ps.setLong(2, now);
                        ps.setString(3, expectedActive.get().toString());
                        ps.setString(4, DataKeyState.ACTIVE.name());
                        precondition = ps.executeUpdate() == 1;
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM data_keys WHERE state = ?")) {
                        ps.setString(1, DataKeyState.ACTIVE.name());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            precondition = rs.getLong(1) == 0;
                        }
                    }
                }
                if (!precondition) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps =
                        c.prepareStatement("INSERT INTO data_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, fresh.id().toString());
                    ps.setBytes(2, fresh.wrapped().ciphertext());
                    ps.setString(3, fresh.provider());
                    ps.setString(4, fresh.masterKeyId());
                    ps.setString(5, fresh.masterKeyVersion());
                    ps.setString(6, DataKeyState.ACTIVE.name());
                    ps.setLong(7, fresh.created().toEpochMilli());
                    ps.setLong(8, fresh.updated().toEpochMilli());
                    ps.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (isUniqueViolation(e)) {
                    return false; // another replica activated a key at the same moment
                }
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure("activate data key " + fresh.id(), e);
        }
    }

    @Override
    public boolean replaceWrapped(UUID id, WrappedKey expected, WrappedKey replacement) {
        // Compare the stored blob in Java: BLOB equality in WHERE clauses differs between databases.
        Optional<DataKeyRecord> current = find(id);
        if (current.isEmpty()
                || current.get().wrapped() == null
                || !current.get().wrapped().equals(expected)) {
            return false;
        }
        return update(
                        "UPDATE data_keys SET wrapped_key = ?, master_key_id = ?, master_key_version = ?, updated_at = ?"
                                + " WHERE id = ? AND master_key_version = ? AND master_key_id = ? AND state <> ?",
                        ps -> {
                            ps.setBytes(1, replacement.ciphertext());
                            ps.setString(2, replacement.keyId());
                            ps.setString(3, replacement.keyVersion());
                            ps.setLong(4, clock.millis());
                            ps.setString(5, id.toString());
                            ps.setString(6, expected.keyVersion());
                            ps.setString(7, expected.keyId());
                            ps.setString(8, DataKeyState.DESTROYED.name());
                        })
                == 1;
    }

    @Override
    public boolean destroy(UUID id) {
        return update(
                        "UPDATE data_keys SET wrapped_key = NULL, state = ?, updated_at = ? WHERE id = ? AND state = ?",
                        ps -> {
                            ps.setString(1, DataKeyState.DESTROYED.name());
                            ps.setLong(2, clock.millis());
                            ps.setString(3, id.toString());
                            ps.setString(4, DataKeyState.RETIRED.name());
                        })
                == 1;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("update data keys", e);
        }
    }

    private Optional<DataKeyRecord> queryOne(String sql, String param) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read data key", e);
        }
    }

    private static DataKeyRecord read(ResultSet rs) throws SQLException {
        byte[] wrapped = rs.getBytes("wrapped_key");
        DataKeyState state = DataKeyState.valueOf(rs.getString("state"));
        WrappedKey key = wrapped == null
                ? null
                : new WrappedKey(wrapped, rs.getString("master_key_id"), rs.getString("master_key_version"));
        if (wrapped != null) {
            Arrays.fill(wrapped, (byte) 0);
        }
        return new DataKeyRecord(
                UUID.fromString(rs.getString("id")),
                key,
                rs.getString("provider"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                state,
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        // PostgreSQL: 23505; SQLite reports constraint failures with error code 19 (SQLITE_CONSTRAINT).
        return "23505".equals(state)
                || e.getErrorCode() == 19
                || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("metadata store: cannot " + what + ": " + e.getMessage(), e);
    }
}
