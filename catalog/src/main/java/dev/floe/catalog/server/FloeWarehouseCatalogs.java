package dev.floe.catalog.server;

import dev.floe.catalog.catalog.FloeCatalog;
import dev.floe.catalog.catalog.LocalFileIO;
import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.rest.CatalogBackend;
import dev.floe.catalog.rest.WarehouseCatalogs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.rest.requests.UpdateTableRequest;

/** The REST layer's view of {@link Warehouses}: one {@link FloeCatalog} per warehouse over the metadata store. */
final class FloeWarehouseCatalogs implements WarehouseCatalogs {

    private final Warehouses warehouses;
    private final Map<String, CatalogBackend> backends;

    FloeWarehouseCatalogs(Warehouses warehouses) {
        this.warehouses = warehouses;
        this.backends = warehouses.names().stream()
                .collect(Collectors.toUnmodifiableMap(n -> n, n -> new Backend(warehouses, warehouses.catalog(n))));
    }

    @Override
    public String defaultWarehouse() {
        return warehouses.defaultName();
    }

    @Override
    public Set<String> names() {
        return backends.keySet();
    }

    @Override
    public CatalogBackend backend(String warehouse) {
        return backends.get(resolve(warehouse));
    }

    private record Backend(Warehouses warehouses, FloeCatalog catalog) implements CatalogBackend {
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

        @Override
        public void commitTransaction(List<UpdateTableRequest> changes) {
            catalog.commitTransaction(changes);
        }

        /**
         * One indexed row read of the pointer (its sealed column opened), and an existence check
         * of the metadata file (a stat on local storage, a HEAD on object stores): a table whose
         * current metadata file vanished must answer 404 as a full load would (the REST
         * Compatibility Kit's testLoadTableWithMissingMetadataFile), not a cached response.
         */
        @Override
        public Optional<String> currentMetadataLocation(TableIdentifier identifier) {
            return catalog.currentMetadataLocation(identifier)
                    .filter(location -> catalog.io().newInputFile(location).exists());
        }

        /**
         * The same from the store's no-wait read, for metadata on the local file system only: its
         * existence check is a stat, where an object store's is a network round trip.
         */
        @Override
        public Optional<String> currentMetadataLocationWithoutWaiting(TableIdentifier identifier) {
            return catalog.currentMetadataLocationWithoutWaiting(identifier)
                    .filter(LocalFileIO::isLocal)
                    .filter(location -> catalog.io().newInputFile(location).exists());
        }
    }
}
