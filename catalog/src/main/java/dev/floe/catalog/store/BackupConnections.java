package dev.floe.catalog.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Single JDBC connections for backup and restore. They bypass {@link MetadataStore}'s pool on
 * purpose: opening a MetadataStore migrates the schema, and a backup must read a store as it is,
 * and a restore must first bring an empty store to the archive's schema version only.
 */
final class BackupConnections {

    private BackupConnections() {}

    /** The SQLite file of {@code url}, or null for PostgreSQL. */
    static Path sqliteFile(StorageUrl url) {
        return url.dialect() == Dialect.SQLITE ? Path.of(url.jdbcUrl().substring("jdbc:sqlite:".length())) : null;
    }

    /** A connection to an existing store; an SQLite file that does not exist is not created. */
    static Connection openExisting(StorageUrl url) throws SQLException {
        Path file = sqliteFile(url);
        if (file != null && !Files.isRegularFile(file)) {
            throw new StoreException("metadata store: no SQLite database at " + file);
        }
        return open(url);
    }

    /** A connection, creating an SQLite file (and its directory) if needed. */
    static Connection open(StorageUrl url) throws SQLException {
        Properties properties = new Properties();
        if (url.user() != null) {
            properties.setProperty("user", url.user());
        }
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        if (url.dialect() == Dialect.SQLITE) {
            Path file = sqliteFile(url);
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
            } catch (java.io.IOException e) {
                throw new StoreException(
                        "metadata store: cannot create directory of " + file + ": " + e.getMessage(), e);
            }
            // the catalog may be writing: wait for its lock instead of failing with SQLITE_BUSY
            properties.setProperty("busy_timeout", "10000");
            properties.setProperty("foreign_keys", "true");
        }
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    /** The highest successfully applied Flyway version, or null when the store has no schema yet. */
    static MigrationVersion schemaVersion(Connection connection) throws SQLException {
        if (!tableExists(connection, "flyway_schema_history")) {
            return null;
        }
        MigrationVersion highest = null;
        try (Statement s = connection.createStatement();
                var rows = s.executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            while (rows.next()) {
                MigrationVersion v = MigrationVersion.fromVersion(rows.getString(1));
                highest = highest == null || v.isNewerThan(highest) ? v : highest;
            }
        }
        return highest;
    }

    static boolean tableExists(Connection connection, String table) throws SQLException {
        try (var tables = connection.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
            return tables.next();
        }
    }
}
