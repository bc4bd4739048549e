package dev.floe.catalog.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the store's Flyway migrations behind the compatibility gate. A replica at start applies
 * only expand-only migrations ({@link Dialect#migrationLocation()}), which older replicas still
 * serving on the same database keep working with; {@code floe migrate} also applies contract
 * migrations ({@link Dialect#contractMigrationLocation()}). Either way one migrator runs at a time:
 * Flyway holds a PostgreSQL advisory lock for the whole migration (replicas that start together
 * wait for it, then find nothing left to do), and SQLite stores have a single replica and a single
 * writer.
 */
final class StoreMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(StoreMigrations.class);

    /**
     * The versions of the expand-only migrations this build ships, the same for every dialect
     * ({@code db/migration/<dialect>/V<version>__*.sql}; {@code StoreMigrationsTest} fails the build
     * when a script is added without its version here). Known without scanning the class path, so
     * a restart on a current schema needs no Flyway at all.
     */
    static final Set<String> SHIPPED_VERSIONS = Set.of("1", "2", "3", "20", "30", "35");

    private StoreMigrations() {}

    /**
     * What a serving replica does at start: refuses a schema newer than it accepts before touching
     * it, applies the pending expand-only migrations, and checks again (a contract migration may
     * have been applied meanwhile by {@code floe migrate}).
     */
    static void migrateForServing(StorageUrl url, DataSource dataSource) {
        SchemaCompatibility.requireServable(dataSource, SchemaCompatibility.CATALOG_LEVEL);
        if (allShippedApplied(dataSource)) {
            // Every restart of an existing catalog lands here. Flyway would scan the class path,
            // load ~300 classes and validate checksums only to find nothing to do: about a tenth
            // of a warm start (docs/performance.md). The gate above already ran.
            LOG.debug("metadata store schema is current: no migration to apply");
            return;
        }
        log(flyway(dataSource, url.dialect().migrationLocation()).migrate());
        SchemaCompatibility.requireServable(dataSource, SchemaCompatibility.CATALOG_LEVEL);
    }

    /**
     * Whether the history records every shipped migration as applied and no failed one. Anything
     * unexpected (no history table yet, a failed row, a read error) answers false, and Flyway
     * decides as before.
     */
    static boolean allShippedApplied(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement s = connection.createStatement();
                ResultSet rows = s.executeQuery(
                        "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            Set<String> applied = new HashSet<>();
            while (rows.next()) {
                if (!rows.getBoolean(2)) {
                    return false;
                }
                applied.add(rows.getString(1));
            }
            return applied.containsAll(SHIPPED_VERSIONS);
        } catch (SQLException e) {
            return false;
        }
    }

    /** {@code floe migrate}: every pending migration, expand and contract; returns the versions applied. */
    static List<String> migrateAll(StorageUrl url, DataSource dataSource) {
        SchemaCompatibility.requireServable(dataSource, SchemaCompatibility.CATALOG_LEVEL);
        MigrateResult result = flyway(
                        dataSource,
                        url.dialect().migrationLocation(),
                        url.dialect().contractMigrationLocation())
                .migrate();
        log(result);
        List<String> applied = new ArrayList<>();
        result.migrations.forEach(m -> applied.add(m.version));
        return applied;
    }

    /** The highest applied migration version, or "none". */
    static String currentVersion(StorageUrl url, DataSource dataSource) {
        var current = flyway(
                        dataSource,
                        url.dialect().migrationLocation(),
                        url.dialect().contractMigrationLocation())
                .info()
                .current();
        return current == null ? "none" : current.getVersion().getVersion();
    }

    private static Flyway flyway(DataSource dataSource, String... locations) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(locations)
                // versions are reserved per owner (V1.. store, V20.. crypto, V30.. security), so a
                // lower version can legitimately arrive after a higher one was applied
                .outOfOrder(true)
                // Applied migrations this build does not ship (a newer release's, or contract ones
                // at start) are judged by SchemaCompatibility, not by Flyway's validation, which
                // would refuse them outright even when they are expand-only.
                .ignoreMigrationPatterns("*:missing", "*:future")
                .load();
    }

    private static void log(MigrateResult result) {
        if (result.migrationsExecuted > 0) {
            LOG.info(
                    "metadata store schema migrated: {} migration(s) applied, now at version {}",
                    result.migrationsExecuted,
                    result.targetSchemaVersion);
        }
    }
}
