package dev.floe.catalog.store;

import java.util.List;
import java.util.Set;

/**
 * The tables and columns a backup archive holds, in the order they are restored (parents before
 * children, so foreign keys hold). Columns are listed explicitly, with a portable type, so the same
 * archive restores into SQLite and PostgreSQL; {@link StoreBackup} refuses a store with a table or
 * column missing here, so a future migration cannot be dropped from backups silently.
 */
public final class BackupFormat {

    /** The archive format's own version, independent of the store's schema version. */
    public static final int FORMAT_VERSION = 1;

    /** The archive's manifest entry; written last, read first. */
    public static final String MANIFEST_ENTRY = "manifest.json";

    /** Tables of other owners that a store may contain and that a backup skips on purpose. */
    static final Set<String> NOT_BACKED_UP = Set.of("flyway_schema_history");

    /** How a column's value is carried in the archive. */
    public enum ColumnType {
        TEXT,
        INTEGER,
        BYTES
    }

    /** One column of a backed-up table. */
    public record Column(String name, ColumnType type) {}

    /**
     * One backed-up table and its columns, in archive order.
     *
     * @param orderBy the SQL ORDER BY of its rows: deterministic, and parents before children
     */
    public record Table(String name, List<Column> columns, String orderBy) {
        /** The archive entry holding this table's rows, one JSON array per line. */
        public String entryName() {
            return "tables/" + name + ".jsonl";
        }
    }

    private static Column text(String name) {
        return new Column(name, ColumnType.TEXT);
    }

    private static Column integer(String name) {
        return new Column(name, ColumnType.INTEGER);
    }

    private static Column bytes(String name) {
        return new Column(name, ColumnType.BYTES);
    }

    /** Every table of the store's schema, in restore order. Sealed columns are BYTES, copied as stored. */
    public static final List<Table> TABLES = List.of(
            new Table(
                    "data_keys",
                    List.of(
                            text("id"),
                            bytes("wrapped_key"),
                            text("provider"),
                            text("master_key_id"),
                            text("master_key_version"),
                            text("state"),
                            integer("created_at"),
                            integer("updated_at")),
                    "id"),
            new Table("security_keys", List.of(text("name"), bytes("sealed_value"), integer("created_at")), "name"),
            new Table(
                    "api_keys",
                    List.of(
                            text("key_id"),
                            bytes("secret_hash"),
                            bytes("sealed_record"),
                            integer("created_at"),
                            integer("revoked_at")),
                    "key_id"),
            // a parent's key is a prefix of its children's: ordered by length, parents come first
            new Table(
                    "namespaces",
                    List.of(
                            text("warehouse"),
                            text("ns_key"),
                            text("parent_key"),
                            text("name"),
                            bytes("properties"),
                            integer("version"),
                            integer("created_at"),
                            integer("updated_at")),
                    "length(ns_key), warehouse, ns_key"),
            new Table(
                    "catalog_objects",
                    List.of(
                            text("warehouse"),
                            text("namespace"),
                            text("name"),
                            text("object_id"),
                            text("kind"),
                            bytes("metadata_location"),
                            bytes("previous_metadata_location"),
                            integer("version"),
                            integer("created_at"),
                            integer("updated_at"),
                            bytes("location")),
                    "warehouse, namespace, name"),
            new Table(
                    "idempotency_records",
                    List.of(
                            text("warehouse"),
                            text("idem_key"),
                            text("fingerprint"),
                            integer("status"),
                            bytes("response"),
                            integer("created_at"),
                            integer("expires_at"),
                            text("response_digest")),
                    "warehouse, idem_key"),
            new Table(
                    "schema_compatibility",
                    List.of(text("migration"), integer("oldest_serving_level"), text("reason")),
                    "migration"));

    private BackupFormat() {}
}
