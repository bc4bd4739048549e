package dev.floe.catalog.rest;

import org.apache.iceberg.rest.RESTCompatibilityKitViewCatalogTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Iceberg REST Compatibility Kit's view tests against our server on embedded SQLite storage. */
class SqliteRestCompatibilityKitViewCatalogIT extends RESTCompatibilityKitViewCatalogTests {

    static {
        FloeRckServerExtension.configureKit();
    }

    // the kit places views at custom locations: see FloeRckServerExtension.VIEW_KIT_SETTINGS
    @RegisterExtension
    static final FloeRckServerExtension SERVER = new FloeRckServerExtension(
            dir -> TestCatalogServers.startSqlite(dir, FloeRckServerExtension.VIEW_KIT_SETTINGS));
}
