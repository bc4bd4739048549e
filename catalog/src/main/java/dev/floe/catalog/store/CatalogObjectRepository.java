package dev.floe.catalog.store;

import dev.floe.catalog.crypto.SealContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The {@code catalog_objects} table: tables and views, keyed by (warehouse, namespace, name).
 * {@code metadata_location} and {@code previous_metadata_location} are sealed, so commits cannot
 * compare locations in SQL; they compare-and-swap on the {@code version} column instead.
 */
public final class CatalogObjectRepository {

    /** Outcome of {@link #insert}. */
    public enum InsertResult {
        INSERTED,
        ALREADY_EXISTS,
        NO_NAMESPACE
    }

    /** Outcome of {@link #rename}. */
    public enum RenameResult {
        RENAMED,
        NOT_FOUND,
        TARGET_EXISTS,
        NO_TARGET_NAMESPACE,
        CONCURRENT_CHANGE
    }

    static final String METADATA_LOCATION = "metadata_location";
    static final String PREVIOUS_METADATA_LOCATION = "previous_metadata_location";
    static final String LOCATION = "location";

    private final Jdbc jdbc;
    private final Sealing sealing;
    private final Clock clock;

    CatalogObjectRepository(Jdbc jdbc, Sealing sealing, Clock clock) {
        this.jdbc = jdbc;
        this.sealing = sealing;
        this.clock = clock;
    }

    /** The table or view with this name, whatever its kind. */
    public Optional<CatalogObject> find(String warehouse, List<String> namespace, String name) {
        String nsKey = Keys.namespaceKey(namespace);
        Keys.checkPart(name, "name");
        return jdbc.withConnection("load table", c -> find(c, warehouse, nsKey, name));
    }

    /** The object with this name if it is of {@code kind}. */
    public Optional<CatalogObject> find(String warehouse, List<String> namespace, String name, ObjectKind kind) {
        return find(warehouse, namespace, name).filter(o -> o.kind() == kind);
    }

    /**
     * The current pointer of the object with this name if it is of {@code kind}: one indexed row
     * read that opens only the {@code metadata_location} column. This is the per-request read of
     * a table load, so it selects nothing else. A thread that must not wait reads it with
     * {@link MetadataStore#findPointerWithoutWaiting} instead.
     */
    public Optional<CurrentPointer> findPointer(
            String warehouse, List<String> namespace, String name, ObjectKind kind) {
        String nsKey = Keys.namespaceKey(namespace);
        Keys.checkPart(name, "name");
        return jdbc.withConnection("load " + kind.column() + " pointer", c -> {
            try (PreparedStatement ps = c.prepareStatement(POINTER_SELECT)) {
                return readPointer(
                        ps,
                        warehouse,
                        nsKey,
                        name,
                        kind,
                        (column, context) -> Optional.of(sealing.open(column, context)));
            }
        });
    }

    static final String POINTER_SELECT = "SELECT object_id, version, metadata_location FROM catalog_objects"
            + " WHERE warehouse = ? AND namespace = ? AND name = ? AND kind = ?";

    /**
     * Reads the pointer row with {@link #POINTER_SELECT}, opening its location with {@code open}:
     * the pooled read opens it whatever that takes, the no-wait read ({@link NoWaitReads}) only when
     * it can at once, so the row is read the same way on both paths.
     */
    static Optional<CurrentPointer> readPointer(
            PreparedStatement ps,
            String warehouse,
            String nsKey,
            String name,
            ObjectKind kind,
            BiFunction<byte[], SealContext, Optional<String>> open)
            throws SQLException {
        bindKey(ps, 1, warehouse, nsKey, name, kind);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String objectId = rs.getString(1);
            long version = rs.getLong(2);
            SealContext context = context(warehouse, kind, Keys.objectId(nsKey, name), METADATA_LOCATION);
            return open.apply(rs.getBytes(3), context).map(location -> new CurrentPointer(objectId, version, location));
        }
    }

    private Optional<CatalogObject> find(Connection c, String warehouse, String nsKey, String name)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, metadata_location, previous_metadata_location, version, created_at, updated_at, object_id"
                        + " FROM catalog_objects WHERE warehouse = ? AND namespace = ? AND name = ?")) {
            ps.setString(1, warehouse);
            ps.setString(2, nsKey);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ObjectKind kind = ObjectKind.fromColumn(rs.getString(1));
                String id = Keys.objectId(nsKey, name);
                return Optional.of(new CatalogObject(
                        Keys.levels(nsKey),
                        name,
                        rs.getString(7),
                        kind,
                        sealing.open(rs.getBytes(2), context(warehouse, kind, id, METADATA_LOCATION)),
                        sealing.open(rs.getBytes(3), context(warehouse, kind, id, PREVIOUS_METADATA_LOCATION)),
                        rs.getLong(4),
                        Instant.ofEpochMilli(rs.getLong(5)),
                        Instant.ofEpochMilli(rs.getLong(6))));
            }
        }
    }

    /**
     * Inserts a new table or view at version 1 unless the name is taken (by either kind).
     *
     * @param objectId a fresh random id for the new object (see {@link CatalogObject#objectId()})
     */
    public InsertResult insert(
            String warehouse,
            List<String> namespace,
            String name,
            ObjectKind kind,
            String objectId,
            String metadataLocation) {
        return insert(warehouse, namespace, name, kind, objectId, metadataLocation, null);
    }

    /**
     * {@link #insert(String, List, String, ObjectKind, String, String)} recording the object's own
     * location too (null when unknown), for the catalog's overlap checks.
     */
    public InsertResult insert(
            String warehouse,
            List<String> namespace,
            String name,
            ObjectKind kind,
            String objectId,
            String metadataLocation,
            String objectLocation) {
        String nsKey = Keys.namespaceKey(namespace);
        Keys.checkPart(name, "name");
        return jdbc.withConnection("create " + kind.column(), c -> {
            if (!namespaceExists(c, warehouse, nsKey)) {
                return InsertResult.NO_NAMESPACE;
            }
            return insertRow(c, warehouse, nsKey, name, objectId, kind, metadataLocation, null, 1L, objectLocation);
        });
    }

    private InsertResult insertRow(
            Connection c,
            String warehouse,
            String nsKey,
            String name,
            String objectId,
            ObjectKind kind,
            String location,
            String previous,
            long version,
            String objectLocation)
            throws SQLException {
        String id = Keys.objectId(nsKey, name);
        long now = clock.millis();
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO catalog_objects (warehouse, namespace, name, kind, metadata_location,"
                        + " previous_metadata_location, version, created_at, updated_at, object_id, location)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            bindKey(ps, 1, warehouse, nsKey, name, kind);
            ps.setBytes(5, sealing.seal(location, context(warehouse, kind, id, METADATA_LOCATION)));
            ps.setBytes(6, sealing.seal(previous, context(warehouse, kind, id, PREVIOUS_METADATA_LOCATION)));
            ps.setLong(7, version);
            ps.setLong(8, now);
            ps.setLong(9, now);
            ps.setString(10, objectId);
            ps.setBytes(11, sealing.seal(objectLocation, context(warehouse, kind, id, LOCATION)));
            return ps.executeUpdate() == 1 ? InsertResult.INSERTED : InsertResult.ALREADY_EXISTS;
        } catch (SQLException e) {
            if (Jdbc.isForeignKeyViolation(e)) {
                return InsertResult.NO_NAMESPACE; // the namespace was dropped meanwhile
            }
            throw e;
        }
    }

    /**
     * Moves the current metadata pointer from {@code expectedVersion} to the next version, in one
     * statement: {@code UPDATE … WHERE … AND object_id = ? AND version = ?}.
     *
     * @return false when the row changed (or vanished) since {@code expectedVersion} was read
     */
    public boolean compareAndSwap(
            String warehouse,
            List<String> namespace,
            String name,
            ObjectKind kind,
            String objectId,
            long expectedVersion,
            String newLocation,
            String previousLocation) {
        return compareAndSwap(
                warehouse, namespace, name, kind, objectId, expectedVersion, newLocation, previousLocation, null);
    }

    /**
     * {@link #compareAndSwap(String, List, String, ObjectKind, String, long, String, String)} that also
     * records the object's own location as of the new metadata (null when unknown).
     */
    public boolean compareAndSwap(
            String warehouse,
            List<String> namespace,
            String name,
            ObjectKind kind,
            String objectId,
            long expectedVersion,
            String newLocation,
            String previousLocation,
            String objectLocation) {
        String nsKey = Keys.namespaceKey(namespace);
        String id = Keys.objectId(nsKey, name);
        long now = clock.millis();
        return jdbc.withConnection("commit " + kind.column(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE catalog_objects SET metadata_location = ?, previous_metadata_location = ?,"
                            + " version = version + 1, updated_at = ?, location = ?"
                            + " WHERE warehouse = ? AND namespace = ? AND name = ? AND kind = ? AND object_id = ? AND version = ?")) {
                ps.setBytes(1, sealing.seal(newLocation, context(warehouse, kind, id, METADATA_LOCATION)));
                ps.setBytes(
                        2, sealing.seal(previousLocation, context(warehouse, kind, id, PREVIOUS_METADATA_LOCATION)));
                ps.setLong(3, now);
                ps.setBytes(4, sealing.seal(objectLocation, context(warehouse, kind, id, LOCATION)));
                bindKey(ps, 5, warehouse, nsKey, name, kind);
                ps.setString(9, objectId);
                ps.setLong(10, expectedVersion);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Deletes a table or view of {@code kind}; false when there is none. */
    public boolean delete(String warehouse, List<String> namespace, String name, ObjectKind kind) {
        String nsKey = Keys.namespaceKey(namespace);
        return jdbc.withConnection("drop " + kind.column(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM catalog_objects WHERE warehouse = ? AND namespace = ? AND name = ? AND kind = ?")) {
                bindKey(ps, 1, warehouse, nsKey, name, kind);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Renames a table or view, possibly into another namespace, in one transaction: the row is
     * re-inserted under the new key (its sealed columns re-sealed for the new identity, since the
     * identity is part of their associated data) and the old row deleted only if no commit
     * happened in between.
     */
    public RenameResult rename(
            String warehouse,
            List<String> fromNamespace,
            String fromName,
            List<String> toNamespace,
            String toName,
            ObjectKind kind) {
        String fromKey = Keys.namespaceKey(fromNamespace);
        String toKey = Keys.namespaceKey(toNamespace);
        Keys.checkPart(toName, "name");
        return jdbc.inTransaction("rename " + kind.column(), c -> {
            Optional<CatalogObject> source =
                    find(c, warehouse, fromKey, fromName).filter(o -> o.kind() == kind);
            if (source.isEmpty()) {
                return RenameResult.NOT_FOUND;
            }
            if (!namespaceExists(c, warehouse, toKey)) {
                return RenameResult.NO_TARGET_NAMESPACE;
            }
            CatalogObject from = source.get();
            String objectLocation = sealing.open(
                    selectLocation(c, warehouse, fromKey, fromName),
                    context(warehouse, kind, Keys.objectId(fromKey, fromName), LOCATION));
            InsertResult inserted = insertRow(
                    c,
                    warehouse,
                    toKey,
                    toName,
                    from.objectId(),
                    kind,
                    from.metadataLocation(),
                    from.previousMetadataLocation(),
                    from.version() + 1,
                    objectLocation);
            if (inserted == InsertResult.ALREADY_EXISTS) {
                return RenameResult.TARGET_EXISTS;
            }
            if (inserted == InsertResult.NO_NAMESPACE) {
                return RenameResult.NO_TARGET_NAMESPACE;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM catalog_objects WHERE warehouse = ? AND namespace = ? AND name = ? AND version = ?")) {
                ps.setString(1, warehouse);
                ps.setString(2, fromKey);
                ps.setString(3, fromName);
                ps.setLong(4, from.version());
                if (ps.executeUpdate() != 1) {
                    // a commit landed between our read and the delete: undo the insert
                    c.rollback();
                    return RenameResult.CONCURRENT_CHANGE;
                }
            }
            return RenameResult.RENAMED;
        });
    }

    private static byte[] selectLocation(Connection c, String warehouse, String nsKey, String name)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT location FROM catalog_objects WHERE warehouse = ? AND namespace = ? AND name = ?")) {
            ps.setString(1, warehouse);
            ps.setString(2, nsKey);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /**
     * Every table and view of a warehouse with its own location (null on rows written before
     * locations were recorded) and current metadata file: what a location overlap check compares
     * against. Reads the whole warehouse; callers run it only when a location is set or changed.
     */
    public List<ObjectLocation> locations(String warehouse) {
        return jdbc.withConnection("list locations", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT namespace, name, kind, location, metadata_location FROM catalog_objects WHERE warehouse = ?")) {
                ps.setString(1, warehouse);
                List<ObjectLocation> all = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String nsKey = rs.getString(1);
                        String name = rs.getString(2);
                        ObjectKind kind = ObjectKind.fromColumn(rs.getString(3));
                        String id = Keys.objectId(nsKey, name);
                        all.add(new ObjectLocation(
                                Keys.levels(nsKey),
                                name,
                                kind,
                                sealing.open(rs.getBytes(4), context(warehouse, kind, id, LOCATION)),
                                sealing.open(rs.getBytes(5), context(warehouse, kind, id, METADATA_LOCATION))));
                    }
                }
                return all;
            }
        });
    }

    /** Lists the names of one kind in a namespace, in name order, one page at a time. */
    public Page<String> list(
            String warehouse, List<String> namespace, ObjectKind kind, String pageToken, Integer pageSize) {
        String nsKey = Keys.namespaceKey(namespace);
        String after = PageTokens.decode(pageToken);
        int limit = PageTokens.pageSize(pageSize);
        return jdbc.withConnection("list " + kind.column() + "s", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name FROM catalog_objects WHERE warehouse = ? AND namespace = ? AND kind = ? AND name > ?"
                            + " ORDER BY name LIMIT ?")) {
                ps.setString(1, warehouse);
                ps.setString(2, nsKey);
                ps.setString(3, kind.column());
                ps.setString(4, after);
                ps.setInt(5, limit + 1);
                List<String> names = new ArrayList<>();
                boolean more = false;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (names.size() == limit) {
                            more = true;
                            break;
                        }
                        names.add(rs.getString(1));
                    }
                }
                return new Page<>(names, more ? PageTokens.encode(names.get(names.size() - 1)) : null);
            }
        });
    }

    /** Number of objects of {@code kind} in a warehouse. */
    public long count(String warehouse, ObjectKind kind) {
        return jdbc.withConnection("count " + kind.column() + "s", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT COUNT(*) FROM catalog_objects WHERE warehouse = ? AND kind = ?")) {
                ps.setString(1, warehouse);
                ps.setString(2, kind.column());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static boolean namespaceExists(Connection c, String warehouse, String nsKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM namespaces WHERE warehouse = ? AND ns_key = ?")) {
            ps.setString(1, warehouse);
            ps.setString(2, nsKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Binds a row's key (warehouse, namespace, name, kind) to the four parameters from {@code first}. */
    private static void bindKey(
            PreparedStatement ps, int first, String warehouse, String nsKey, String name, ObjectKind kind)
            throws SQLException {
        ps.setString(first, warehouse);
        ps.setString(first + 1, nsKey);
        ps.setString(first + 2, name);
        ps.setString(first + 3, kind.column());
    }

    static SealContext context(String warehouse, ObjectKind kind, String id, String field) {
        return new SealContext(warehouse, kind.column(), id, field);
    }
}
