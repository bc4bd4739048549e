package dev.floe.catalog.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Re-seals stored values that are still under retired data keys with the active one, in batches,
 * so the retired keys can then be destroyed. Each row is updated with a compare-and-set on its old
 * ciphertext: a row the application rewrote meanwhile is left alone (it is under the active key
 * already), and a crash in the middle leaves every row readable; a rerun continues.
 */
public final class Reencryptor {

    /** Counts of one pass, per column ({@code table.column}). */
    public record Result(Map<String, Integer> resealed, Map<String, Integer> remaining) {
        public int totalResealed() {
            return resealed.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int totalRemaining() {
            return remaining.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final DataSource dataSource;
    private final FieldSealer sealer;
    private final List<SealedColumn> columns;
    private final int batchSize;

    public Reencryptor(DataSource dataSource, FieldSealer sealer, List<SealedColumn> columns, int batchSize) {
        this.dataSource = dataSource;
        this.sealer = sealer;
        this.columns = List.copyOf(columns);
        this.batchSize = batchSize;
    }

    /** Re-seals every value whose DEK is in {@code retired}. */
    public Result reseal(Set<UUID> retired) {
        Map<String, Integer> resealed = new LinkedHashMap<>();
        Map<String, Integer> remaining = new LinkedHashMap<>();
        for (SealedColumn col : columns) {
            int done = 0;
            int skipped = 0;
            List<Row> batch;
            int offset = 0;
            do {
                batch = readBatch(col, offset);
                offset += batch.size();
                for (Row row : batch) {
                    if (row.sealed() == null || !SealedValueFormat.looksSealed(row.sealed())
                            || !retired.contains(SealedValueFormat.dekIdOf(row.sealed()))) {
                        continue;
                    }
                    SealContext context = col.context().apply(row.values());
                    byte[] plain = sealer.open(row.sealed(), context);
                    byte[] fresh = sealer.seal(plain, context);
                    Arrays.fill(plain, (byte) 0);
                    if (update(col, row, fresh)) {
                        done++;
                    } else {
                        skipped++; // rewritten by the application meanwhile, so already under the active key
                    }
                }
            } while (batch.size() == batchSize);
            resealed.put(col.describe(), done);
            remaining.put(col.describe(), countUnder(col, retired));
        }
        return new Result(resealed, remaining);
    }

    /** Rows per DEK id across all sealed columns (for the key listing). */
    public Map<UUID, Integer> countByDataKey() {
        Map<UUID, Integer> counts = new HashMap<>();
        for (SealedColumn col : columns) {
            int offset = 0;
            List<Row> batch;
            do {
                batch = readBatch(col, offset);
                offset += batch.size();
                for (Row row : batch) {
                    if (row.sealed() != null && SealedValueFormat.looksSealed(row.sealed())) {
                        counts.merge(SealedValueFormat.dekIdOf(row.sealed()), 1, Integer::sum);
                    }
                }
            } while (batch.size() == batchSize);
        }
        return counts;
    }

    /**
     * Counts values per DEK id in every binary column of every table of the database, not only
     * the declared ones: the last safety check before a DEK is destroyed, so that a sealed column
     * someone forgot to declare keeps its DEK alive instead of becoming unreadable.
     */
    public Map<UUID, Integer> countByDataKeyEverywhere() {
        Map<UUID, Integer> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            List<String[]> binaryColumns = new ArrayList<>();
            java.sql.DatabaseMetaData meta = c.getMetaData();
            try (ResultSet tables = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
                while (tables.next()) {
                    String table = tables.getString("TABLE_NAME");
                    String schema = tables.getString("TABLE_SCHEM");
                    if (table.equalsIgnoreCase("data_keys") || (schema != null && !schema.equals("public")
                            && !schema.equals("main"))) {
                        continue;
                    }
                    try (ResultSet cols = meta.getColumns(null, schema, table, "%")) {
                        while (cols.next()) {
                            int type = cols.getInt("DATA_TYPE");
                            String typeName = String.valueOf(cols.getString("TYPE_NAME")).toLowerCase(java.util.Locale.ROOT);
                            if (type == java.sql.Types.BLOB || type == java.sql.Types.BINARY
                                    || type == java.sql.Types.VARBINARY || type == java.sql.Types.LONGVARBINARY
                                    || typeName.contains("blob") || typeName.contains("bytea")) {
                                binaryColumns.add(new String[] {table, cols.getString("COLUMN_NAME")});
                            }
                        }
                    }
                }
            }
            for (String[] tc : binaryColumns) {
                if (!tc[0].matches("[A-Za-z_][A-Za-z0-9_]*") || !tc[1].matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT " + tc[1] + " FROM " + tc[0]);
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] v = rs.getBytes(1);
                        if (v != null && SealedValueFormat.looksSealed(v) && v[2] == SealedValueFormat.VERSION_1) {
                            counts.merge(SealedValueFormat.dekIdOf(v), 1, Integer::sum);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("re-encryption: cannot scan the database for sealed values: "
                    + e.getMessage(), e);
        }
        return counts;
    }

    private int countUnder(SealedColumn col, Set<UUID> dekIds) {
        int n = 0;
        int offset = 0;
        List<Row> batch;
        do {
            batch = readBatch(col, offset);
            offset += batch.size();
            for (Row row : batch) {
                if (row.sealed() != null && SealedValueFormat.looksSealed(row.sealed())
                        && dekIds.contains(SealedValueFormat.dekIdOf(row.sealed()))) {
                    n++;
                }
            }
        } while (batch.size() == batchSize);
        return n;
    }

    private record Row(Map<String, String> values, byte[] sealed) {
    }

    private List<Row> readBatch(SealedColumn col, int offset) {
        List<String> all = new ArrayList<>(col.keyColumns());
        all.addAll(col.extraColumns());
        String sql = "SELECT " + String.join(", ", all) + ", " + col.column() + " FROM " + col.table()
                + " ORDER BY " + String.join(", ", col.keyColumns()) + " LIMIT ? OFFSET ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, batchSize);
            ps.setInt(2, offset);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> values = new HashMap<>();
                    for (int i = 0; i < all.size(); i++) {
                        values.put(all.get(i), rs.getString(i + 1));
                    }
                    rows.add(new Row(values, rs.getBytes(all.size() + 1)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("re-encryption: cannot read " + col.describe() + ": " + e.getMessage(), e);
        }
    }

    private boolean update(SealedColumn col, Row row, byte[] fresh) {
        // Compare-and-set on the old ciphertext, checked in Java after locking the row by key:
        // BLOB equality in WHERE clauses is not portable across SQLite and PostgreSQL.
        String where = String.join(" AND ", col.keyColumns().stream().map(k -> k + " = ?").toList());
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                byte[] current;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + col.column() + " FROM " + col.table()
                        + " WHERE " + where + (isPostgres(c) ? " FOR UPDATE" : ""))) {
                    bindKeys(ps, col, row, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        current = rs.next() ? rs.getBytes(1) : null;
                    }
                }
                if (current == null || !Arrays.equals(current, row.sealed())) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + col.table() + " SET " + col.column()
                        + " = ? WHERE " + where)) {
                    ps.setBytes(1, fresh);
                    bindKeys(ps, col, row, 2);
                    boolean ok = ps.executeUpdate() == 1;
                    c.commit();
                    return ok;
                }
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("re-encryption: cannot update " + col.describe() + ": " + e.getMessage(), e);
        }
    }

    private static void bindKeys(PreparedStatement ps, SealedColumn col, Row row, int first) throws SQLException {
        for (int i = 0; i < col.keyColumns().size(); i++) {
            ps.setString(first + i, row.values().get(col.keyColumns().get(i)));
        }
    }

    private static boolean isPostgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
    }
}
