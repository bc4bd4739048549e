package dev.floe.catalog.server;

import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.rest.WarehouseCatalogs;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Chooses the catalog implementation behind the REST layer. This is the single place to change
 * when the persistence changes.
 */
@Factory
public class CatalogBackends {

    @Singleton
    @Bean(preDestroy = "close")
    ClosingWarehouseCatalogs warehouseCatalogs(FloeConfig config) {
        return new ClosingWarehouseCatalogs(new InMemoryWarehouseCatalogs(config.warehouse()));
    }
}
