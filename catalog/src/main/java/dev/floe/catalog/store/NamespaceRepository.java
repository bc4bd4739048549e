package dev.floe.catalog.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.crypto.SealContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code namespaces} table. A row stores the namespace key, its parent key and last level
 * separately so that listing the children of a parent is an indexed range scan on
 * {@code (warehouse, parent_key, name)} ({@code parent_key} is NULL at the top level, so a foreign
 * key keeps every namespace's parent alive); the properties are one sealed JSON object.
 */
public final class NamespaceRepository {

    /** Outcome of {@link #create}. */
    public enum CreateResult {
        CREATED,
        ALREADY_EXISTS,
        PARENT_MISSING
    }

    /** Outcome of {@link #delete}. */
    public enum DeleteResult {
        DELETED,
        NOT_FOUND,
        HAS_CHILDREN,
        HAS_OBJECTS
    }

    static final String KIND = "namespace";
    static final String PROPERTIES = "properties";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {};
    private static final int MAX_CAS_ATTEMPTS = 50;

    private final Jdbc jdbc;
    private final Sealing sealing;
    private final Clock clock;

    NamespaceRepository(Jdbc jdbc, Sealing sealing, Clock clock) {
        this.jdbc = jdbc;
        this.sealing = sealing;
        this.clock = clock;
    }

    /** Creates a namespace; its parent (all levels but the last) must exist. */
    public CreateResult create(String warehouse, List<String> levels, Map<String, String> properties) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("Invalid namespace: empty");
        }
        String key = Keys.namespaceKey(levels);
        String parentKey = Keys.namespaceKey(levels.subList(0, levels.size() - 1));
        long now = clock.millis();
        return jdbc.inTransaction("create namespace", c -> {
            if (!parentKey.isEmpty() && !exists(c, warehouse, parentKey)) {
                return CreateResult.PARENT_MISSING;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO namespaces (warehouse, ns_key, parent_key, name, properties, version, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, warehouse);
                ps.setString(2, key);
                ps.setString(3, parentKey.isEmpty() ? null : parentKey);
                ps.setString(4, levels.get(levels.size() - 1));
                ps.setBytes(5, sealProperties(warehouse, key, properties));
                ps.setLong(6, now);
                ps.setLong(7, now);
                return ps.executeUpdate() == 1 ? CreateResult.CREATED : CreateResult.ALREADY_EXISTS;
            } catch (SQLException e) {
                if (Jdbc.isForeignKeyViolation(e)) {
                    return CreateResult.PARENT_MISSING; // the parent was dropped meanwhile
                }
                throw e;
            }
        });
    }

    public boolean exists(String warehouse, List<String> levels) {
        if (levels.isEmpty()) {
            return true; // the root always exists
        }
        String key = Keys.namespaceKey(levels);
        return jdbc.withConnection("check namespace", c -> exists(c, warehouse, key));
    }

    private static boolean exists(Connection c, String warehouse, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM namespaces WHERE warehouse = ? AND ns_key = ?")) {
            ps.setString(1, warehouse);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Optional<NamespaceRecord> find(String warehouse, List<String> levels) {
        if (levels.isEmpty()) {
            return Optional.empty();
        }
        String key = Keys.namespaceKey(levels);
        return jdbc.withConnection("load namespace", c -> find(c, warehouse, key));
    }

    private Optional<NamespaceRecord> find(Connection c, String warehouse, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT properties, version, created_at, updated_at FROM namespaces WHERE warehouse = ? AND ns_key = ?")) {
            ps.setString(1, warehouse);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new NamespaceRecord(
                        Keys.levels(key),
                        openProperties(warehouse, key, rs.getBytes(1)),
                        rs.getLong(2),
                        Instant.ofEpochMilli(rs.getLong(3)),
                        Instant.ofEpochMilli(rs.getLong(4))));
            }
        }
    }

    /**
     * Lists the direct children of {@code parent} (the root when empty) in name order, one page at
     * a time.
     */
    public Page<List<String>> listChildren(String warehouse, List<String> parent, String pageToken, Integer pageSize) {
        String parentKey = Keys.namespaceKey(parent);
        String after = PageTokens.decode(pageToken);
        int limit = PageTokens.pageSize(pageSize);
        return jdbc.withConnection("list namespaces", c -> {
            boolean root = parentKey.isEmpty();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM namespaces WHERE warehouse = ? AND "
                    + (root ? "parent_key IS NULL" : "parent_key = ?")
                    + " AND name > ? ORDER BY name LIMIT ?")) {
                int i = 1;
                ps.setString(i++, warehouse);
                if (!root) {
                    ps.setString(i++, parentKey);
                }
                ps.setString(i++, after);
                ps.setInt(i, limit + 1);
                List<List<String>> children = new ArrayList<>();
                String last = null;
                boolean more = false;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (children.size() == limit) {
                            more = true;
                            break;
                        }
                        last = rs.getString(1);
                        List<String> child = new ArrayList<>(parent);
                        child.add(last);
                        children.add(List.copyOf(child));
                    }
                }
                return new Page<>(children, more ? PageTokens.encode(last) : null);
            }
        });
    }

    /**
     * Deletes an empty namespace. Refuses when it has child namespaces or tables/views; the
     * foreign key from {@code catalog_objects} backs this up against a concurrent create.
     */
    public DeleteResult delete(String warehouse, List<String> levels) {
        if (levels.isEmpty()) {
            return DeleteResult.NOT_FOUND;
        }
        String key = Keys.namespaceKey(levels);
        return jdbc.inTransaction("drop namespace", c -> {
            if (!exists(c, warehouse, key)) {
                return DeleteResult.NOT_FOUND;
            }
            if (any(c, "SELECT 1 FROM namespaces WHERE warehouse = ? AND parent_key = ? LIMIT 1", warehouse, key)) {
                return DeleteResult.HAS_CHILDREN;
            }
            if (any(c, "SELECT 1 FROM catalog_objects WHERE warehouse = ? AND namespace = ? LIMIT 1", warehouse, key)) {
                return DeleteResult.HAS_OBJECTS;
            }
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM namespaces WHERE warehouse = ? AND ns_key = ?")) {
                ps.setString(1, warehouse);
                ps.setString(2, key);
                return ps.executeUpdate() == 1 ? DeleteResult.DELETED : DeleteResult.NOT_FOUND;
            } catch (SQLException e) {
                if (Jdbc.isForeignKeyViolation(e)) {
                    // a child namespace or a table was created concurrently
                    return DeleteResult.HAS_OBJECTS;
                }
                throw e;
            }
        });
    }

    private static boolean any(Connection c, String sql, String warehouse, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, warehouse);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Sets {@code updates} and removes {@code removals} in one compare-and-swap on the version
     * column, retried when another writer got in between.
     *
     * @return the namespace after the change, or empty when it does not exist
     */
    public Optional<NamespaceRecord> updateProperties(
            String warehouse, List<String> levels, Map<String, String> updates, Set<String> removals) {
        String key = Keys.namespaceKey(levels);
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Optional<NamespaceRecord> current = jdbc.withConnection("load namespace", c -> find(c, warehouse, key));
            if (current.isEmpty()) {
                return Optional.empty();
            }
            NamespaceRecord base = current.get();
            TreeMap<String, String> next = new TreeMap<>(base.properties());
            removals.forEach(next::remove);
            next.putAll(updates);
            long now = clock.millis();
            boolean swapped = jdbc.withConnection("update namespace properties", c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE namespaces SET properties = ?, version = version + 1, updated_at = ?"
                                + " WHERE warehouse = ? AND ns_key = ? AND version = ?")) {
                    ps.setBytes(1, sealProperties(warehouse, key, next));
                    ps.setLong(2, now);
                    ps.setString(3, warehouse);
                    ps.setString(4, key);
                    ps.setLong(5, base.version());
                    return ps.executeUpdate() == 1;
                }
            });
            if (swapped) {
                return Optional.of(new NamespaceRecord(
                        levels, next, base.version() + 1, base.createdAt(), Instant.ofEpochMilli(now)));
            }
        }
        throw new StoreException("metadata store: namespace properties update kept conflicting; try again");
    }

    /**
     * Every namespace of a warehouse, all levels, its properties opened: what the catalog needs to
     * work out each namespace's location for overlap checks. Callers run it only when a location is
     * set or changed.
     */
    public List<NamespaceRecord> all(String warehouse) {
        return jdbc.withConnection("list all namespaces", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ns_key, properties, version, created_at, updated_at FROM namespaces WHERE warehouse = ?")) {
                ps.setString(1, warehouse);
                List<NamespaceRecord> all = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString(1);
                        all.add(new NamespaceRecord(
                                Keys.levels(key),
                                openProperties(warehouse, key, rs.getBytes(2)),
                                rs.getLong(3),
                                Instant.ofEpochMilli(rs.getLong(4)),
                                Instant.ofEpochMilli(rs.getLong(5))));
                    }
                }
                return all;
            }
        });
    }

    /** Number of namespaces in a warehouse (all levels). */
    public long count(String warehouse) {
        return jdbc.withConnection("count namespaces", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM namespaces WHERE warehouse = ?")) {
                ps.setString(1, warehouse);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private byte[] sealProperties(String warehouse, String key, Map<String, String> properties) {
        try {
            String json = JSON.writeValueAsString(new TreeMap<>(properties == null ? Map.of() : properties));
            return sealing.seal(json, context(warehouse, key));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid namespace properties", e);
        }
    }

    private Map<String, String> openProperties(String warehouse, String key, byte[] sealed) {
        try {
            return JSON.readValue(sealing.open(sealed, context(warehouse, key)), MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("metadata store: namespace properties are not valid JSON after opening");
        }
    }

    static SealContext context(String warehouse, String key) {
        return new SealContext(warehouse, KIND, key, PROPERTIES);
    }
}
