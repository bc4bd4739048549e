package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.exceptions.NotFoundException;

/**
 * The warehouses one server serves, each a {@link FloeCatalog} over the same {@link MetadataStore}
 * (rows are keyed by warehouse name). The REST layer calls {@link #catalog(String)} with the URL
 * prefix; a null or empty prefix means the default warehouse. Built once at start-up:
 * <pre>{@code
 * MetadataStore store = MetadataStore.open("file:///var/lib/floe", sealer);
 * Warehouses warehouses = new Warehouses(store, List.of(new WarehouseConfig("main", "file:///data/wh")), "main");
 * FloeCatalog catalog = warehouses.catalog(prefix);   // then CatalogHandlers.*(catalog, …)
 * }</pre>
 * Closing it closes every catalog's FileIO and the store.
 */
public final class Warehouses implements AutoCloseable {

    private final MetadataStore store;
    private final Map<String, FloeCatalog> catalogs = new LinkedHashMap<>();
    private final String defaultName;

    /**
     * @param store       the metadata store; owned (closed) by this object from now on
     * @param warehouses  at least one warehouse, names unique
     * @param defaultName the warehouse used when a request names none; must be among {@code warehouses}
     */
    public Warehouses(MetadataStore store, List<WarehouseConfig> warehouses, String defaultName) {
        this.store = store;
        if (warehouses.isEmpty()) {
            throw new IllegalArgumentException("warehouses: at least one warehouse is required");
        }
        for (WarehouseConfig config : warehouses) {
            if (catalogs.containsKey(config.name())) {
                throw new IllegalArgumentException("warehouses: duplicate warehouse name '" + config.name() + "'");
            }
            Map<String, String> props = new LinkedHashMap<>(config.properties());
            props.put(CatalogProperties.WAREHOUSE_LOCATION, config.location());
            FloeCatalog catalog = new FloeCatalog(store, config.name());
            catalog.initialize(config.name(), props);
            catalogs.put(config.name(), catalog);
        }
        if (!catalogs.containsKey(defaultName)) {
            throw new IllegalArgumentException("warehouses: default warehouse '" + defaultName
                    + "' is not among the configured ones " + catalogs.keySet());
        }
        this.defaultName = defaultName;
    }

    /**
     * The catalog of warehouse {@code name}; null or empty selects the default warehouse.
     *
     * @throws NotFoundException (HTTP 404) when no warehouse has that name
     */
    public FloeCatalog catalog(String name) {
        return catalogs.get(resolve(name));
    }

    /**
     * The warehouse's own name: {@code name} when it is configured, the default's for null or empty.
     * The message does not repeat the name: it comes from the request path, and is the caller's own.
     *
     * @throws NotFoundException (HTTP 404) when no warehouse has that name
     */
    public String resolve(String name) {
        if (name == null || name.isEmpty()) {
            return defaultName;
        }
        if (!catalogs.containsKey(name)) {
            throw new NotFoundException("Warehouse not found");
        }
        return name;
    }

    public String defaultName() {
        return defaultName;
    }

    public Set<String> names() {
        return Set.copyOf(catalogs.keySet());
    }

    public MetadataStore store() {
        return store;
    }

    @Override
    public void close() {
        try {
            for (FloeCatalog catalog : catalogs.values()) {
                catalog.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            store.close();
        }
    }
}
