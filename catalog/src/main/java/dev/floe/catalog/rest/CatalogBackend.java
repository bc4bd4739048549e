package dev.floe.catalog.rest;

import java.util.List;
import java.util.Optional;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.rest.requests.UpdateTableRequest;

/**
 * What the REST layer needs from one warehouse's catalog: tables, namespaces, views and an atomic
 * multi-table commit. This is the seam between HTTP and the catalog implementation; the wiring
 * decides which implementation stands behind it.
 */
public interface CatalogBackend {

    Catalog tables();

    SupportsNamespaces namespaces();

    ViewCatalog views();

    /**
     * Commits every change or none: validates each table's requirements against its current
     * metadata and publishes all new metadata locations in one step.
     */
    void commitTransaction(List<UpdateTableRequest> changes);

    /**
     * The table's current metadata location if the implementation can tell it cheaply without
     * reading the metadata file, straight from the source of truth (never from a cache, so a
     * commit by another replica is seen), and that file still exists; empty when unknown, when
     * there is no such table or when its metadata file is missing. Used to serve cached load
     * responses.
     */
    default Optional<String> currentMetadataLocation(TableIdentifier identifier) {
        return Optional.empty();
    }

    /**
     * {@link #currentMetadataLocation} when it can be answered on a thread that must not block (a
     * Netty event loop): from storage on this machine, with no pooled connection, lock, KMS or
     * network call to wait for. Empty whenever that is not possible, and also when there is no such
     * table or its metadata file is missing; the caller then uses {@link #currentMetadataLocation}
     * on a thread that may block.
     */
    default Optional<String> currentMetadataLocationWithoutWaiting(TableIdentifier identifier) {
        return Optional.empty();
    }
}
