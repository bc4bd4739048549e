package dev.floe.catalog.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.iceberg.util.JsonUtil;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Restores a backup archive written by {@link StoreBackup} into an empty metadata store, SQLite or
 * PostgreSQL whichever the archive came from. The whole archive is verified first (manifest,
 * format, columns, row counts, SHA-256 of every entry), then the store is migrated to the archive's
 * schema version, the rows are inserted as they were stored (still sealed) in one transaction, and
 * the store is migrated to this floe's newest schema. A store that already holds rows, or an archive
 * of a schema newer than this floe knows, is refused before anything is written.
 */
public final class StoreRestore {

    private final StorageUrl url;

    public StoreRestore(StorageUrl url) {
        this.url = url;
    }

    /**
     * Reads and checks an archive without touching any store.
     *
     * @throws BackupArchiveException naming what is wrong with it
     */
    public static BackupManifest verify(Path archive) {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            BackupManifest manifest = manifest(zip);
            for (BackupFormat.Table table : BackupFormat.TABLES) {
                MessageDigest sha256 = StoreBackup.sha256();
                long rows = 0;
                try (BufferedReader lines = reader(zip, table, sha256)) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        JsonNode row = JsonUtil.mapper().readTree(line);
                        if (row == null
                                || !row.isArray()
                                || row.size() != table.columns().size()) {
                            throw new BackupArchiveException("row " + (rows + 1) + " of table " + table.name()
                                    + " does not have " + table.columns().size() + " columns");
                        }
                        rows++;
                    }
                }
                BackupManifest.TableEntry entry = entry(manifest, table);
                String actual = HexFormat.of().formatHex(sha256.digest());
                if (!actual.equals(entry.sha256())) {
                    throw new BackupArchiveException("table " + table.name() + ": SHA-256 " + actual
                            + " does not match the manifest's " + entry.sha256() + " (corrupted or altered archive)");
                }
                if (rows != entry.rows()) {
                    throw new BackupArchiveException(
                            "table " + table.name() + ": " + rows + " rows, the manifest says " + entry.rows());
                }
            }
            return manifest;
        } catch (ZipException e) {
            throw new BackupArchiveException("not a readable backup archive (" + e.getMessage() + ")", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BackupArchiveException("a row is not valid JSON (corrupted archive)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("restore: cannot read " + archive + ": " + e.getMessage(), e);
        }
    }

    /**
     * Verifies {@code archive} and restores it into this store, which must be empty.
     *
     * @return the archive's manifest
     * @throws BackupArchiveException when the archive is bad, newer than this floe, or the store is not empty
     */
    public BackupManifest restore(Path archive) {
        BackupManifest manifest = verify(archive);
        MigrationVersion archiveSchema = MigrationVersion.fromVersion(manifest.schemaVersion());
        MigrationVersion newestKnown = newestKnownVersion();
        if (archiveSchema.isNewerThan(newestKnown)) {
            throw new BackupArchiveException("the archive's schema version " + archiveSchema
                    + " is newer than this floe's " + newestKnown + " (archive written by floe "
                    + manifest.catalogVersion() + "); restore with that version or newer");
        }
        try (Connection connection = BackupConnections.open(url)) {
            MigrationVersion storeSchema = BackupConnections.schemaVersion(connection);
            if (storeSchema != null) {
                requireEmpty(connection);
                if (storeSchema.isNewerThan(archiveSchema)) {
                    throw new BackupArchiveException("the store is already at schema version " + storeSchema
                            + ", newer than the archive's " + archiveSchema
                            + "; restore into a new database or an empty directory");
                }
            }
            flyway().target(archiveSchema).load().migrate();
            requireEmpty(connection);
            insertAll(connection, archive);
            flyway().load().migrate();
            return manifest;
        } catch (SQLException e) {
            throw new StoreException(
                    "restore: writing the store failed: SQLState " + e.getSQLState() + ", error " + e.getErrorCode(),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("restore: cannot read " + archive + ": " + e.getMessage(), e);
        }
    }

    private void insertAll(Connection connection, Path archive) throws SQLException, IOException {
        connection.setAutoCommit(false);
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (BackupFormat.Table table : BackupFormat.TABLES) {
                insertTable(connection, zip, table);
            }
            connection.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void insertTable(Connection connection, ZipFile zip, BackupFormat.Table table)
            throws SQLException, IOException {
        List<BackupFormat.Column> columns = table.columns();
        String sql = "INSERT INTO " + table.name() + " ("
                + columns.stream().map(BackupFormat.Column::name).collect(Collectors.joining(", "))
                + ") VALUES (" + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql);
                BufferedReader lines = reader(zip, table, StoreBackup.sha256())) {
            int batched = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode row = JsonUtil.mapper().readTree(line);
                for (int i = 0; i < columns.size(); i++) {
                    bind(insert, i + 1, columns.get(i).type(), row.get(i));
                }
                insert.addBatch();
                if (++batched == 500) {
                    insert.executeBatch();
                    batched = 0;
                }
            }
            if (batched > 0) {
                insert.executeBatch();
            }
        }
    }

    private static void bind(PreparedStatement insert, int index, BackupFormat.ColumnType type, JsonNode value)
            throws SQLException, IOException {
        boolean isNull = value == null || value.isNull();
        switch (type) {
            case TEXT -> {
                if (isNull) {
                    insert.setNull(index, Types.VARCHAR);
                } else {
                    insert.setString(index, value.asText());
                }
            }
            case INTEGER -> {
                if (isNull) {
                    insert.setNull(index, Types.BIGINT);
                } else {
                    insert.setLong(index, value.asLong());
                }
            }
            case BYTES -> {
                if (isNull) {
                    insert.setNull(index, Types.BINARY);
                } else {
                    insert.setBytes(index, value.binaryValue());
                }
            }
        }
    }

    private static void requireEmpty(Connection connection) throws SQLException {
        for (BackupFormat.Table table : BackupFormat.TABLES) {
            if (!BackupConnections.tableExists(connection, table.name())) {
                continue;
            }
            try (Statement s = connection.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*) FROM " + table.name())) {
                r.next();
                if (r.getLong(1) > 0) {
                    throw new BackupArchiveException("the store is not empty (table " + table.name() + " has "
                            + r.getLong(1) + " rows); restore only into a new database or an empty directory,"
                            + " before any catalog has started on it");
                }
            }
        }
    }

    /** The newest migration this floe has for the dialect, found without touching the target store. */
    private MigrationVersion newestKnownVersion() {
        // Flyway lists migrations only with a database: for SQLite an in-memory one, so that a refused
        // archive does not leave a new database file behind; a PostgreSQL target is only read here.
        FluentConfiguration configuration = url.dialect() == Dialect.SQLITE
                ? Flyway.configure()
                        .dataSource("jdbc:sqlite::memory:", null, null)
                        .locations(url.dialect().migrationLocation())
                        .outOfOrder(true)
                : flyway();
        MigrationVersion newest = MigrationVersion.EMPTY;
        for (MigrationInfo info : configuration.load().info().all()) {
            if (info.getVersion() != null && info.getVersion().isNewerThan(newest)) {
                newest = info.getVersion();
            }
        }
        return newest;
    }

    /** Flyway as {@link MetadataStore} configures it; it opens its own connections to the store. */
    private FluentConfiguration flyway() {
        return Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations(url.dialect().migrationLocation())
                .outOfOrder(true);
    }

    private static BackupManifest manifest(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry(BackupFormat.MANIFEST_ENTRY);
        if (entry == null) {
            throw new BackupArchiveException(
                    "no " + BackupFormat.MANIFEST_ENTRY + " in the archive (not a floe backup, or truncated)");
        }
        BackupManifest manifest;
        try (InputStream in = zip.getInputStream(entry)) {
            manifest = BackupManifest.fromJson(in.readAllBytes());
        }
        if (manifest.formatVersion() != BackupFormat.FORMAT_VERSION) {
            throw new BackupArchiveException("archive format version " + manifest.formatVersion() + " is not the "
                    + BackupFormat.FORMAT_VERSION + " this floe reads");
        }
        for (BackupFormat.Table table : BackupFormat.TABLES) {
            List<String> expected =
                    table.columns().stream().map(BackupFormat.Column::name).toList();
            if (!entry(manifest, table).columns().equals(expected)) {
                throw new BackupArchiveException("table " + table.name() + ": the archive's columns "
                        + entry(manifest, table).columns() + " are not " + expected);
            }
        }
        return manifest;
    }

    private static BackupManifest.TableEntry entry(BackupManifest manifest, BackupFormat.Table table) {
        return manifest.tables().stream()
                .filter(t -> t.name().equals(table.name()))
                .findFirst()
                .orElseThrow(() -> new BackupArchiveException("the manifest lists no table " + table.name()));
    }

    private static BufferedReader reader(ZipFile zip, BackupFormat.Table table, MessageDigest digest)
            throws IOException {
        ZipEntry entry = zip.getEntry(table.entryName());
        if (entry == null) {
            throw new BackupArchiveException("no entry " + table.entryName() + " in the archive (truncated?)");
        }
        return new BufferedReader(new InputStreamReader(
                new DigestInputStream(zip.getInputStream(entry), digest), StandardCharsets.UTF_8));
    }
}
