package dev.floe.catalog.server;

import dev.floe.catalog.catalog.WarehouseConfig;
import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.config.StorageSettings;
import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.rest.IdempotencyStore;
import dev.floe.catalog.rest.WarehouseCatalogs;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Builds what stands behind the REST layer: the metadata store (SQLite or PostgreSQL, sealed by
 * envelope encryption), one FloeCatalog per warehouse, and the durable idempotency store. The
 * single place to change when the persistence changes.
 */
@Factory
public class CatalogBackends {

    @Singleton
    @Bean(preDestroy = "close")
    Warehouses warehouses(FloeConfig config, @Value("${floe.dev.key-dir:}") String devKeyDir) {
        Path keyDir = !devKeyDir.isEmpty() ? Path.of(devKeyDir)
                : config.storage().kind() == StorageSettings.Kind.SQLITE ? config.storage().directory()
                : Path.of(".floe").toAbsolutePath();
        KeyProvider provider = Sealers.keyProvider(config, System.getenv(), keyDir);
        MetadataStore store = MetadataStore.open(StorageUrl.parse(config.storage().url()),
                dataSource -> Sealers.sealer(dataSource, provider));
        List<WarehouseConfig> configs = config.warehouse().locations().entrySet().stream()
                .map(e -> new WarehouseConfig(e.getKey(), e.getValue(), Map.of()))
                .toList();
        return new Warehouses(store, configs, config.warehouse().defaultName());
    }

    @Singleton
    WarehouseCatalogs warehouseCatalogs(Warehouses warehouses) {
        return new FloeWarehouseCatalogs(warehouses);
    }

    @Singleton
    IdempotencyStore idempotencyStore(Warehouses warehouses) {
        return new StoreIdempotencyStore(warehouses.store().idempotency(), Clock.systemUTC());
    }
}
