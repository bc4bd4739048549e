package dev.floe.catalog.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.iceberg.util.JsonUtil;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Writes a backup archive of a metadata store: a ZIP with one JSON-lines entry per table and a
 * {@link BackupManifest}. Rows are copied as stored — sealed columns stay sealed and data keys stay
 * wrapped — so a backup needs no master key and never holds a plaintext the store does not.
 *
 * <p>All tables are read in one read-only transaction (PostgreSQL: REPEATABLE READ; SQLite: one
 * WAL read transaction), so the archive is a consistent snapshot while the catalog keeps serving.
 */
public final class StoreBackup {

    private final StorageUrl url;
    private final String catalogVersion;
    private final Clock clock;

    public StoreBackup(StorageUrl url, String catalogVersion, Clock clock) {
        this.url = url;
        this.catalogVersion = catalogVersion;
        this.clock = clock;
    }

    /**
     * Writes the archive to {@code out} (which it does not close) and returns its manifest.
     *
     * @throws StoreException when the store cannot be read or has tables this format does not know
     */
    public BackupManifest writeTo(OutputStream out) {
        try (Connection connection = BackupConnections.openExisting(url)) {
            connection.setAutoCommit(false);
            if (url.dialect() == Dialect.POSTGRESQL) {
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                connection.setReadOnly(true);
            }
            try {
                return writeSnapshot(connection, out);
            } finally {
                connection.rollback(); // read only: nothing to keep
            }
        } catch (SQLException e) {
            throw new StoreException("backup: reading the store failed: SQLState " + e.getSQLState(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("backup: writing the archive failed: " + e.getMessage(), e);
        }
    }

    private BackupManifest writeSnapshot(Connection connection, OutputStream out) throws SQLException, IOException {
        MigrationVersion schema = BackupConnections.schemaVersion(connection);
        if (schema == null) {
            throw new StoreException("backup: " + url + " has no floe schema (never opened by a catalog?)");
        }
        requireKnownTables(connection);
        ObjectMapper mapper = JsonUtil.mapper();
        List<BackupManifest.TableEntry> entries = new ArrayList<>();
        ZipOutputStream zip = new ZipOutputStream(new FilterOutputStream(out) {
            @Override
            public void close() throws IOException {
                flush(); // finish the ZIP, leave the caller's stream open
            }
        });
        for (BackupFormat.Table table : BackupFormat.TABLES) {
            zip.putNextEntry(new ZipEntry(table.entryName()));
            MessageDigest sha256 = sha256();
            OutputStream entry = new DigestOutputStream(zip, sha256);
            long rows = 0;
            String columns =
                    table.columns().stream().map(BackupFormat.Column::name).collect(Collectors.joining(", "));
            try (Statement s = connection.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT " + columns + " FROM " + table.name() + " ORDER BY " + table.orderBy())) {
                while (r.next()) {
                    entry.write(mapper.writeValueAsBytes(row(mapper, table, r)));
                    entry.write('\n');
                    rows++;
                }
            }
            entry.flush();
            zip.closeEntry();
            entries.add(new BackupManifest.TableEntry(
                    table.name(),
                    table.columns().stream().map(BackupFormat.Column::name).toList(),
                    rows,
                    HexFormat.of().formatHex(sha256.digest())));
        }
        BackupManifest manifest = new BackupManifest(
                BackupFormat.FORMAT_VERSION,
                schema.getVersion(),
                catalogVersion,
                clock.instant(),
                url.dialect(),
                entries);
        zip.putNextEntry(new ZipEntry(BackupFormat.MANIFEST_ENTRY));
        zip.write(manifest.toJson());
        zip.closeEntry();
        zip.finish();
        zip.close();
        return manifest;
    }

    private static ArrayNode row(ObjectMapper mapper, BackupFormat.Table table, ResultSet r) throws SQLException {
        ArrayNode row = mapper.createArrayNode();
        int i = 1;
        for (BackupFormat.Column column : table.columns()) {
            switch (column.type()) {
                case TEXT -> row.add(r.getString(i));
                case INTEGER -> {
                    long value = r.getLong(i);
                    if (r.wasNull()) {
                        row.addNull();
                    } else {
                        row.add(value);
                    }
                }
                case BYTES -> {
                    byte[] value = r.getBytes(i);
                    if (value == null) {
                        row.addNull();
                    } else {
                        row.add(value); // base64 in JSON
                    }
                }
            }
            i++;
        }
        return row;
    }

    /** Refuses a store whose tables or columns differ from {@link BackupFormat}: nothing is left out silently. */
    private static void requireKnownTables(Connection connection) throws SQLException {
        Set<String> known =
                BackupFormat.TABLES.stream().map(BackupFormat.Table::name).collect(Collectors.toSet());
        String schema = connection.getSchema();
        try (ResultSet tables = connection.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (tables.next()) {
                String name = tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!known.contains(name)
                        && !BackupFormat.NOT_BACKED_UP.contains(name)
                        && !name.startsWith("sqlite_")) {
                    throw new StoreException("backup: the store has a table '" + name
                            + "' that this floe's backup format does not know; use the floe version that created it");
                }
            }
        }
        for (BackupFormat.Table table : BackupFormat.TABLES) {
            Set<String> expected =
                    table.columns().stream().map(BackupFormat.Column::name).collect(Collectors.toSet());
            Set<String> actual = new HashSet<>();
            try (Statement s = connection.createStatement();
                    ResultSet r = s.executeQuery("SELECT * FROM " + table.name() + " WHERE 1 = 0")) {
                ResultSetMetaData meta = r.getMetaData();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    actual.add(meta.getColumnName(c).toLowerCase(Locale.ROOT));
                }
            }
            if (!actual.equals(expected)) {
                throw new StoreException("backup: table '" + table.name() + "' has columns " + actual
                        + ", this floe's backup format expects " + expected);
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JCA algorithm", e);
        }
    }
}
