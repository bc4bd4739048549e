package dev.floe.catalog.store;

import dev.floe.catalog.crypto.SealedValueFormat;
import dev.floe.catalog.crypto.SealedValueStore;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The store's side of key rotation: pages of each sealed column in primary-key order (keyset
 * pagination, so concurrent deletes and inserts never shift a row out of the scan), a
 * compare-and-set swap of one value, and a count of sealed values per data key across every binary
 * column of the schema the store actually uses (PostgreSQL's current schema, whatever
 * {@code currentSchema} or {@code search_path} made it).
 */
public final class SealedValueRepository implements SealedValueStore {

    /** Rows fetched per round trip while counting, so large tables stream instead of loading whole. */
    private static final int COUNT_FETCH_SIZE = 500;

    private final Jdbc jdbc;
    private final Map<String, SealedColumn> columns = new LinkedHashMap<>();

    public SealedValueRepository(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
        for (SealedColumn column : SealedColumns.all()) {
            columns.put(column.name(), column);
        }
    }

    @Override
    public List<String> columns() {
        return List.copyOf(columns.keySet());
    }

    @Override
    public List<Cell> page(String columnName, List<String> after, int limit) {
        SealedColumn col = column(columnName);
        List<String> read = new ArrayList<>(col.keyColumns());
        read.addAll(col.extraColumns());
        String keys = String.join(", ", col.keyColumns());
        String sql = "SELECT " + String.join(", ", read) + ", " + col.column() + " FROM " + col.table()
                + (after.isEmpty() ? "" : " WHERE (" + keys + ") > (" + placeholders(after.size()) + ")")
                + " ORDER BY " + keys + " LIMIT ?";
        return jdbc.withConnection("re-encryption read of " + col.name(), c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (String value : after) {
                    ps.setString(i++, value);
                }
                ps.setInt(i, limit);
                List<Cell> cells = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> values = new HashMap<>();
                        for (int k = 0; k < read.size(); k++) {
                            values.put(read.get(k), rs.getString(k + 1));
                        }
                        List<String> rowKey =
                                col.keyColumns().stream().map(values::get).toList();
                        cells.add(new Cell(
                                col.name(), rowKey, col.context().apply(values), rs.getBytes(read.size() + 1)));
                    }
                }
                return cells;
            }
        });
    }

    @Override
    public boolean swap(Cell cell, byte[] replacement) {
        SealedColumn col = column(cell.column());
        String where = String.join(
                " AND ", col.keyColumns().stream().map(k -> k + " = ?").toList());
        // Compare-and-set on the old ciphertext, compared in Java after locking the row by key:
        // BLOB equality in WHERE clauses is not portable across SQLite and PostgreSQL. SQLite's
        // IMMEDIATE transactions hold the write lock from BEGIN; PostgreSQL needs FOR UPDATE.
        return jdbc.inTransaction("re-encryption update of " + col.name(), c -> {
            byte[] current;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + col.column() + " FROM " + col.table() + " WHERE "
                    + where + (isPostgres(c) ? " FOR UPDATE" : ""))) {
                bindKey(ps, cell.rowKey(), 1);
                try (ResultSet rs = ps.executeQuery()) {
                    current = rs.next() ? rs.getBytes(1) : null;
                }
            }
            if (current == null || !Arrays.equals(current, cell.sealed())) {
                return false;
            }
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE " + col.table() + " SET " + col.column() + " = ? WHERE " + where)) {
                ps.setBytes(1, replacement);
                bindKey(ps, cell.rowKey(), 2);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Map<UUID, Integer> countByDataKey() {
        // One transaction: PostgreSQL streams with a fetch size only outside auto-commit.
        return jdbc.inTransaction("count of sealed values per data key", c -> {
            Map<UUID, Integer> counts = new HashMap<>();
            for (String[] tableColumn : binaryColumns(c)) {
                String sql = "SELECT " + quote(tableColumn[2]) + " FROM "
                        + (tableColumn[0] == null ? "" : quote(tableColumn[0]) + ".") + quote(tableColumn[1]);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setFetchSize(COUNT_FETCH_SIZE);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            byte[] v = rs.getBytes(1);
                            if (SealedValueFormat.looksSealed(v) && v[2] == SealedValueFormat.VERSION_1) {
                                counts.merge(SealedValueFormat.dekIdOf(v), 1, Integer::sum);
                            }
                        }
                    }
                }
            }
            return Collections.unmodifiableMap(counts);
        });
    }

    /**
     * {schema, table, column} of every binary column in the connection's current schema (SQLite:
     * the one database file, schema null), except the DEK ring's own table.
     */
    private static List<String[]> binaryColumns(Connection c) throws SQLException {
        String schema = c.getSchema();
        DatabaseMetaData meta = c.getMetaData();
        String schemaPattern = schema == null ? null : escapeLike(schema, meta.getSearchStringEscape());
        List<String[]> found = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, schemaPattern, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                // the pattern is LIKE-matched: keep exactly the current schema
                if (schema == null || schema.equals(rs.getString("TABLE_SCHEM"))) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
        }
        for (String table : tables) {
            if (table.equalsIgnoreCase("data_keys")) {
                continue; // KMS-wrapped keys, not sealed values
            }
            try (ResultSet cols =
                    meta.getColumns(null, schemaPattern, escapeLike(table, meta.getSearchStringEscape()), "%")) {
                while (cols.next()) {
                    if ((schema == null || schema.equals(cols.getString("TABLE_SCHEM")))
                            && table.equals(cols.getString("TABLE_NAME"))
                            && isBinary(cols.getInt("DATA_TYPE"), cols.getString("TYPE_NAME"))) {
                        found.add(new String[] {schema, table, cols.getString("COLUMN_NAME")});
                    }
                }
            }
        }
        return found;
    }

    private static boolean isBinary(int type, String typeName) {
        String name = String.valueOf(typeName).toLowerCase(Locale.ROOT);
        return type == Types.BLOB
                || type == Types.BINARY
                || type == Types.VARBINARY
                || type == Types.LONGVARBINARY
                || name.contains("blob")
                || name.contains("bytea");
    }

    private static String escapeLike(String name, String escape) {
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    /** A quoted SQL identifier (both dialects use double quotes; embedded quotes are doubled). */
    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private SealedColumn column(String name) {
        SealedColumn col = columns.get(name);
        if (col == null) {
            throw new IllegalArgumentException("not a sealed column of the store: " + name);
        }
        return col;
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static void bindKey(PreparedStatement ps, List<String> rowKey, int first) throws SQLException {
        for (int i = 0; i < rowKey.size(); i++) {
            ps.setString(first + i, rowKey.get(i));
        }
    }

    private static boolean isPostgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
}
