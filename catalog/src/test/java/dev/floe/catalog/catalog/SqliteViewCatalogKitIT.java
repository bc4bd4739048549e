package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.TestSealers;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.view.ViewCatalogTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Iceberg's own view catalog suite ({@link ViewCatalogTests}) against FloeCatalog on SQLite. */
class SqliteViewCatalogKitIT extends ViewCatalogTests<FloeCatalog> {

    @TempDir
    Path dir;

    private MetadataStore store;
    private FloeCatalog catalog;

    @BeforeEach
    void openCatalog() {
        store = MetadataStore.open(StorageUrl.sqliteIn(dir.resolve("db")), TestSealers.scrambling());
        catalog = KitCatalogs.create(
                store, "main", KitCatalogs.VIEW_KIT_WAREHOUSE, "floe-sqlite", KitCatalogs.VIEW_KIT_PROPERTIES);
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
