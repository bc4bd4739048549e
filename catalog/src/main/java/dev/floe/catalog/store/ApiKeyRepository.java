package dev.floe.catalog.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.catalog.crypto.FieldSealer;
import dev.floe.catalog.crypto.SealContext;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * JDBC repository of API keys (table {@code api_keys}) and of the security layer's own secrets
 * (table {@code security_keys}), migrations V30+. Everything except the lookup id, the secret hash
 * and the revocation time is sealed with the {@link FieldSealer}, bound to the row's key id, so a
 * copy of the database reveals neither who holds which rights nor the token signing key.
 */
public final class ApiKeyRepository {

    /** Warehouse part of the seal context: API keys are catalog-wide rows. */
    static final String GLOBAL = "*";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One stored key.
     *
     * @param keyId           lookup id
     * @param secretHash      hash of the secret (see the security layer's hasher)
     * @param name            human name
     * @param roles           role ids
     * @param warehouse       warehouse scope or null
     * @param namespacePrefix namespace scope or null
     * @param createdBy       who created it
     * @param createdAt       when
     * @param expiresAt       expiry or null
     * @param revokedAt       revocation time or null
     */
    public record Row(
            String keyId,
            byte[] secretHash,
            String name,
            Set<String> roles,
            String warehouse,
            String namespacePrefix,
            String createdBy,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt) {
        public Row {
            roles = Set.copyOf(roles);
            secretHash = secretHash.clone();
        }

        @Override
        public byte[] secretHash() {
            return secretHash.clone();
        }

        @Override
        public String toString() {
            return "ApiKeyRepository.Row[keyId=" + keyId + ", name=" + name + ", roles=" + roles + "]";
        }
    }

    private final DataSource dataSource;
    private final FieldSealer sealer;

    public ApiKeyRepository(DataSource dataSource, FieldSealer sealer) {
        this.dataSource = dataSource;
        this.sealer = sealer;
    }

    /** Inserts a new key; false when the key id already exists (nothing is changed then). */
    public boolean insert(Row row) {
        byte[] sealed = sealer.seal(recordJson(row), context(row.keyId()));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO api_keys (key_id, secret_hash, sealed_record, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, row.keyId());
            ps.setBytes(2, row.secretHash());
            ps.setBytes(3, sealed);
            ps.setLong(4, row.createdAt().toEpochMilli());
            if (row.revokedAt() == null) {
                ps.setNull(5, java.sql.Types.BIGINT);
            } else {
                ps.setLong(5, row.revokedAt().toEpochMilli());
            }
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw failure("insert API key " + row.keyId(), e);
        }
    }

    /** The key with {@code keyId}, if stored (revoked keys included). */
    public Optional<Row> find(String keyId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT key_id, secret_hash, sealed_record, created_at, revoked_at FROM api_keys WHERE key_id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read API key " + keyId, e);
        }
    }

    /** Every stored key, oldest first. */
    public List<Row> list() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT key_id, secret_hash, sealed_record, created_at, revoked_at FROM api_keys ORDER BY created_at, key_id");
                ResultSet rs = ps.executeQuery()) {
            List<Row> out = new ArrayList<>();
            while (rs.next()) {
                out.add(read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw failure("list API keys", e);
        }
    }

    /** Marks the key revoked at {@code when}; false if it does not exist or was already revoked. */
    public boolean revoke(String keyId, Instant when) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL")) {
            ps.setLong(1, when.toEpochMilli());
            ps.setString(2, keyId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("revoke API key " + keyId, e);
        }
    }

    /**
     * The named server secret, creating it from {@code fresh} if no replica has yet. The caller owns
     * (and should zeroise) the returned bytes.
     */
    public byte[] securityKey(String name, Supplier<byte[]> fresh) {
        SealContext context = new SealContext(GLOBAL, "security-key", name, "sealed_value");
        Optional<byte[]> existing = readSecurityKey(name);
        if (existing.isPresent()) {
            return sealer.open(existing.get(), context);
        }
        byte[] value = fresh.get();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO security_keys (name, sealed_value, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, name);
            ps.setBytes(2, sealer.seal(value, context));
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
            return value;
        } catch (SQLException e) {
            Arrays.fill(value, (byte) 0);
            if (isUniqueViolation(e)) { // another replica won the race: use its key
                return sealer.open(readSecurityKey(name).orElseThrow(), context);
            }
            throw failure("store security key " + name, e);
        }
    }

    private Optional<byte[]> readSecurityKey(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT sealed_value FROM security_keys WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read security key " + name, e);
        }
    }

    private Row read(ResultSet rs) throws SQLException {
        String keyId = rs.getString("key_id");
        byte[] json = sealer.open(rs.getBytes("sealed_record"), context(keyId));
        try {
            JsonNode node = JSON.readTree(json);
            Set<String> roles = new LinkedHashSet<>();
            node.path("roles").forEach(role -> roles.add(role.asText()));
            long revoked = rs.getLong("revoked_at");
            Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochMilli(revoked);
            return new Row(
                    keyId,
                    rs.getBytes("secret_hash"),
                    node.path("name").asText(),
                    roles,
                    text(node, "warehouse"),
                    text(node, "namespacePrefix"),
                    node.path("createdBy").asText(),
                    Instant.ofEpochMilli(rs.getLong("created_at")),
                    node.hasNonNull("expiresAt")
                            ? Instant.ofEpochMilli(node.get("expiresAt").asLong())
                            : null,
                    revokedAt);
        } catch (IOException e) {
            throw new IllegalStateException("metadata store: API key " + keyId + " has an unreadable record", e);
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static byte[] recordJson(Row row) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", row.name());
        ArrayNode roles = node.putArray("roles");
        row.roles().stream().sorted().forEach(roles::add);
        node.put("warehouse", row.warehouse());
        node.put("namespacePrefix", row.namespacePrefix());
        node.put("createdBy", row.createdBy());
        if (row.expiresAt() != null) {
            node.put("expiresAt", row.expiresAt().toEpochMilli());
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SealContext context(String keyId) {
        return new SealContext(GLOBAL, "api-key", keyId, "sealed_record");
    }

    private static boolean isUniqueViolation(SQLException e) {
        // PostgreSQL: 23505; SQLite: SQLITE_CONSTRAINT (19) with a primary-key/unique message.
        return "23505".equals(e.getSQLState())
                || e.getErrorCode() == 19
                || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("metadata store: cannot " + what + ": " + e.getMessage(), e);
    }
}
