package dev.floe.catalog.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.util.JsonUtil;

/**
 * What a backup archive says about itself: the store's schema version and the catalog version that
 * wrote it, when, from which database, and per table its columns, row count and the SHA-256 of its
 * entry, so {@link StoreRestore} can refuse a truncated or altered archive before touching a store.
 *
 * @param formatVersion  {@link BackupFormat#FORMAT_VERSION} of the writer
 * @param schemaVersion  the store's Flyway schema version when the snapshot was read
 * @param catalogVersion the floe version that wrote the archive
 * @param createdAt      when the snapshot was read
 * @param sourceDialect  the database the rows came from (informational: restore works into either)
 * @param tables         one entry per table, in restore order
 */
public record BackupManifest(
        int formatVersion,
        String schemaVersion,
        String catalogVersion,
        Instant createdAt,
        Dialect sourceDialect,
        List<TableEntry> tables) {

    /** One table's entry: its columns, how many rows and the SHA-256 (hex) of its archive entry. */
    public record TableEntry(String name, List<String> columns, long rows, String sha256) {}

    public BackupManifest {
        tables = List.copyOf(tables);
    }

    /** Total rows over all tables. */
    public long totalRows() {
        return tables.stream().mapToLong(TableEntry::rows).sum();
    }

    byte[] toJson() {
        ObjectNode root = JsonUtil.mapper().createObjectNode();
        root.put("format", "floe-backup");
        root.put("formatVersion", formatVersion);
        root.put("schemaVersion", schemaVersion);
        root.put("catalogVersion", catalogVersion);
        root.put("createdAt", createdAt.toString());
        root.put("sourceDialect", sourceDialect.name());
        ArrayNode list = root.putArray("tables");
        for (TableEntry table : tables) {
            ObjectNode t = list.addObject();
            t.put("name", table.name());
            table.columns().forEach(t.putArray("columns")::add);
            t.put("rows", table.rows());
            t.put("sha256", table.sha256());
        }
        try {
            return JsonUtil.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("backup manifest: cannot write JSON", e);
        }
    }

    /**
     * Parses a manifest.
     *
     * @throws BackupArchiveException when it is not a floe backup manifest or misses a field
     */
    static BackupManifest fromJson(byte[] json) {
        try {
            JsonNode root = JsonUtil.mapper().readTree(json);
            if (root == null || !"floe-backup".equals(text(root, "format"))) {
                throw new BackupArchiveException("the manifest does not describe a floe backup");
            }
            List<TableEntry> tables = new ArrayList<>();
            for (JsonNode t : required(root, "tables")) {
                List<String> columns = new ArrayList<>();
                required(t, "columns").forEach(c -> columns.add(c.asText()));
                tables.add(new TableEntry(
                        text(t, "name"), columns, required(t, "rows").asLong(), text(t, "sha256")));
            }
            return new BackupManifest(
                    required(root, "formatVersion").asInt(),
                    text(root, "schemaVersion"),
                    text(root, "catalogVersion"),
                    Instant.parse(text(root, "createdAt")),
                    Dialect.valueOf(text(root, "sourceDialect")),
                    tables);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BackupArchiveException archive) {
                throw archive;
            }
            throw new BackupArchiveException(
                    "the manifest is not valid: " + e.getClass().getSimpleName(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new BackupArchiveException("the manifest has no '" + field + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        return required(node, field).asText();
    }
}
