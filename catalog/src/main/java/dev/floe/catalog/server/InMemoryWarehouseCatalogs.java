package dev.floe.catalog.server;

import dev.floe.catalog.config.WarehouseSettings;
import dev.floe.catalog.rest.CatalogBackend;
import dev.floe.catalog.rest.WarehouseCatalogs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.rest.requests.UpdateTableRequest;

/**
 * Warehouses backed by Iceberg's {@link InMemoryCatalog}: nothing survives a restart. Used only
 * until the JDBC-backed FloeCatalog is wired in, and by tests of the HTTP layer alone.
 */
public final class InMemoryWarehouseCatalogs implements WarehouseCatalogs {

    private final String defaultName;
    private final Map<String, CatalogBackend> backends = new LinkedHashMap<>();

    public InMemoryWarehouseCatalogs(WarehouseSettings settings) {
        this.defaultName = settings.defaultName();
        settings.locations().forEach((name, location) -> {
            InMemoryCatalog catalog = new InMemoryCatalog();
            catalog.initialize(name, Map.of(CatalogProperties.WAREHOUSE_LOCATION, location));
            backends.put(name, new Backend(catalog));
        });
    }

    @Override
    public String defaultWarehouse() {
        return defaultName;
    }

    @Override
    public Set<String> names() {
        return backends.keySet();
    }

    @Override
    public CatalogBackend backend(String warehouse) {
        return backends.get(resolve(warehouse));
    }

    private record Backend(InMemoryCatalog catalog) implements CatalogBackend {
        @Override
        public Catalog tables() {
            return catalog;
        }

        @Override
        public SupportsNamespaces namespaces() {
            return catalog;
        }

        @Override
        public ViewCatalog views() {
            return catalog;
        }

        /** Validates every change first, then publishes them under one lock (in-process atomicity only). */
        @Override
        public synchronized void commitTransaction(List<UpdateTableRequest> changes) {
            record Prepared(TableOperations ops, TableMetadata base, TableMetadata updated) {}
            List<Prepared> prepared = new java.util.ArrayList<>();
            for (UpdateTableRequest change : changes) {
                TableOperations ops = ((BaseTable) catalog.loadTable(change.identifier())).operations();
                TableMetadata base = ops.current();
                change.requirements().forEach(requirement -> requirement.validate(base));
                TableMetadata.Builder builder = TableMetadata.buildFrom(base);
                change.updates().forEach(update -> update.applyTo(builder));
                prepared.add(new Prepared(ops, base, builder.build()));
            }
            for (Prepared p : prepared) {
                if (p.updated().changes().isEmpty()) {
                    continue;
                }
                try {
                    p.ops().commit(p.base(), p.updated());
                } catch (CommitFailedException e) {
                    throw new CommitFailedException(e, "Transaction failed: %s", e.getMessage());
                }
            }
        }
    }
}
