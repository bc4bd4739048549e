package dev.floe.catalog.rest;

import dev.floe.catalog.server.FloeServer;
import java.nio.file.Path;

/** Iceberg's REST client against our server on embedded SQLite. */
class SqliteRestCatalogClientIT extends AbstractRestCatalogClientIT {
    @Override
    FloeServer startServer(Path dir) {
        return TestCatalogServers.startSqlite(dir);
    }
}
