package dev.floe.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.testing.EmbeddedPostgresServer;
import dev.floe.catalog.testing.TestSealers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema gate on a real PostgreSQL shared by several replicas: replicas that start together
 * migrate once (Flyway's advisory lock), a replica serves on expand-only migrations of a newer
 * release that it does not know, and refuses, without migrating anything, a schema on which a
 * contract migration needs a later catalog.
 */
class SchemaGateIT {

    private static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void replicasStartingTogetherOnAnEmptyDatabaseApplyEachMigrationOnce() throws Exception {
        String storage = postgres.newDatabase();
        int replicas = 4;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<MetadataStore>> opening = new ArrayList<>();
        try {
            for (int i = 0; i < replicas; i++) {
                opening.add(pool.submit(() -> {
                    go.await();
                    return MetadataStore.open(storage, TestSealers.identity());
                }));
            }
            go.countDown();
            List<MetadataStore> stores = new ArrayList<>();
            for (Future<MetadataStore> f : opening) {
                stores.add(f.get()); // a failed migration (two migrators at once) would throw here
            }
            try (Connection c = stores.get(0).dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT version, count(*) FROM flyway_schema_history"
                            + " WHERE version IS NOT NULL GROUP BY version")) {
                List<String> versions = new ArrayList<>();
                while (rows.next()) {
                    assertThat(rows.getInt(2))
                            .as("migration %s applied once", rows.getString(1))
                            .isEqualTo(1);
                    versions.add(rows.getString(1));
                }
                assertThat(versions).contains("1", "2", "3", "20", "30");
            }
            stores.forEach(MetadataStore::close);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void servesOnAnExpandOnlyMigrationOfANewerReleaseItDoesNotShip() throws SQLException {
        String storage = postgres.newDatabase();
        String shipped;
        try (MetadataStore store = MetadataStore.open(storage, TestSealers.identity())) {
            shipped = store.schemaVersion();
            // what a newer release's expand-only migration leaves: a history row this build has no
            // script for (below V30, so Flyway calls it "missing"), and no compatibility record
            execute(
                    store,
                    "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                            + " checksum, installed_by, execution_time, success) VALUES (100, '4', 'newer expand', 'SQL',"
                            + " 'V4__newer_expand.sql', 1, 'postgres', 1, true)");
            execute(store, "ALTER TABLE catalog_objects ADD COLUMN newer_column TEXT");
        }
        try (MetadataStore reopened = MetadataStore.open(storage, TestSealers.identity())) {
            assertThat(reopened.schemaVersion()).isEqualTo(shipped);
        }
    }

    @Test
    void refusesASchemaWhoseContractMigrationNeedsALaterCatalogAndMigratesNothing() throws SQLException {
        String storage = postgres.newDatabase();
        try (MetadataStore store = MetadataStore.open(storage, TestSealers.identity())) {
            execute(
                    store,
                    "INSERT INTO schema_compatibility (migration, oldest_serving_level, reason)" + " VALUES ('5', "
                            + (SchemaCompatibility.CATALOG_LEVEL + 1) + ", 'catalog_objects.version dropped')");
            // a pending migration of this build: the refusal must come before Flyway applies it
            execute(store, "DELETE FROM flyway_schema_history WHERE version = '2'");
            execute(store, "ALTER TABLE catalog_objects DROP COLUMN location");
        }
        assertThatThrownBy(() -> MetadataStore.open(storage, TestSealers.identity()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(
                        "migration 5 needs compatibility level " + (SchemaCompatibility.CATALOG_LEVEL + 1))
                .hasMessageContaining("catalog_objects.version dropped")
                .hasMessageContaining("compatibility level " + SchemaCompatibility.CATALOG_LEVEL + ")")
                .hasMessageNotContaining("postgres:postgres");
        try (Connection c = java.sql.DriverManager.getConnection(
                        StorageUrl.parse(storage).jdbcUrl(), "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE version = '2'")) {
            rows.next();
            assertThat(rows.getInt(1))
                    .as("V2 was not applied on the refused schema")
                    .isZero();
        }
    }

    private static void execute(MetadataStore store, String sql) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
