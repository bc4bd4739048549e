package dev.floe.catalog.rest;

import java.util.Set;
import org.apache.iceberg.exceptions.NotFoundException;

/**
 * The warehouses this server serves, by name. A warehouse name is the REST path prefix and the
 * value of a client's {@code warehouse} setting; requests without a prefix use the default one.
 */
public interface WarehouseCatalogs {

    String defaultWarehouse();

    Set<String> names();

    /** The catalog of one warehouse; {@code null} or empty names the default. */
    CatalogBackend backend(String warehouse);

    /** Resolves a path prefix or {@code ?warehouse=} value, failing with 404 when it is unknown. */
    default String resolve(String warehouse) {
        if (warehouse == null || warehouse.isEmpty()) {
            return defaultWarehouse();
        }
        if (!names().contains(warehouse)) {
            throw new NotFoundException("Warehouse not found: %s", Identifiers.printable(warehouse));
        }
        return warehouse;
    }
}
