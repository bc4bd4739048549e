package dev.floe.catalog.server;

import dev.floe.catalog.rest.CatalogBackend;
import dev.floe.catalog.rest.WarehouseCatalogs;
import java.util.Set;

/** Adds a {@code close()} to any {@link WarehouseCatalogs} so the context can release it on shutdown. */
public final class ClosingWarehouseCatalogs implements WarehouseCatalogs, AutoCloseable {

    private final WarehouseCatalogs delegate;
    private final AutoCloseable resources;

    ClosingWarehouseCatalogs(WarehouseCatalogs delegate) {
        this(delegate, () -> { });
    }

    ClosingWarehouseCatalogs(WarehouseCatalogs delegate, AutoCloseable resources) {
        this.delegate = delegate;
        this.resources = resources;
    }

    @Override
    public String defaultWarehouse() {
        return delegate.defaultWarehouse();
    }

    @Override
    public Set<String> names() {
        return delegate.names();
    }

    @Override
    public CatalogBackend backend(String warehouse) {
        return delegate.backend(warehouse);
    }

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
