package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.testing.EmbeddedPostgresServer;
import dev.floe.catalog.testing.TestSealers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.view.ViewCatalogTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Iceberg's own view catalog suite ({@link ViewCatalogTests}) against FloeCatalog on PostgreSQL. */
class PostgresViewCatalogKitIT extends ViewCatalogTests<FloeCatalog> {

    private static EmbeddedPostgresServer postgres;
    // one database and store for the class; each test gets its own warehouse (rows are keyed by
    // warehouse), which is cheaper than a database per test and exercises warehouse isolation
    private static MetadataStore store;

    @TempDir
    Path dir;

    private String warehouse;
    private FloeCatalog catalog;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start();
        store = MetadataStore.open(postgres.newDatabase(), TestSealers.scrambling());
    }

    @AfterAll
    static void stopPostgres() {
        store.close();
        postgres.close();
    }

    @BeforeEach
    void openCatalog() {
        warehouse = "wh-" + UUID.randomUUID();
        catalog = KitCatalogs.create(
                store, warehouse, KitCatalogs.VIEW_KIT_WAREHOUSE, "floe-postgres", KitCatalogs.VIEW_KIT_PROPERTIES);
    }

    @AfterEach
    void closeCatalog() throws IOException {
        catalog.close();
    }

    @Override
    protected FloeCatalog catalog() {
        return catalog;
    }

    @Override
    protected Catalog tableCatalog() {
        return catalog;
    }

    // Capability flag left at the kit's default: supportsEmptyNamespace() = false skips
    // listViewsInEmptyNamespace (no views in the root namespace: every view lives in a namespace
    // that exists, enforced by a foreign key).

    @Override
    protected boolean requiresNamespaceCreate() {
        return true;
    }
}
