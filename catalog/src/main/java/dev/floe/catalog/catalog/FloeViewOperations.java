package dev.floe.catalog.catalog;

import dev.floe.catalog.store.CatalogObject;
import dev.floe.catalog.store.CatalogObjectRepository.InsertResult;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.ObjectKind;
import dev.floe.catalog.store.StoreException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.view.BaseViewOperations;
import org.apache.iceberg.view.ViewMetadata;

/**
 * View operations over the metadata store, with the same compare-and-swap on the row version as
 * {@link FloeTableOperations}.
 */
public class FloeViewOperations extends BaseViewOperations {

    private final MetadataStore store;
    private final String warehouse;
    private final TableIdentifier identifier;
    private final String fullName;
    private final FileIO io;
    private volatile ObjectPointer pointer;

    FloeViewOperations(MetadataStore store, String warehouse, TableIdentifier identifier, String fullName, FileIO io) {
        this.store = store;
        this.warehouse = warehouse;
        this.identifier = identifier;
        this.fullName = fullName;
        this.io = io;
    }

    private List<String> namespace() {
        return List.of(identifier.namespace().levels());
    }

    @Override
    protected void doRefresh() {
        Optional<CatalogObject> row = store.objects().find(warehouse, namespace(), identifier.name(), ObjectKind.VIEW);
        if (row.isEmpty()) {
            if (currentMetadataLocation() != null) {
                throw new NoSuchViewException("View does not exist: %s", identifier);
            }
            disableRefresh();
            return;
        }
        this.pointer = new ObjectPointer(row.get().metadataLocation(), row.get().objectId(), row.get().version());
        refreshFromMetadataLocation(row.get().metadataLocation());
    }

    @Override
    protected void doCommit(ViewMetadata base, ViewMetadata metadata) {
        String newLocation = writeNewMetadataIfRequired(metadata);
        if (base == null) {
            String objectId = UUID.randomUUID().toString();
            InsertResult result = store.objects().insert(warehouse, namespace(), identifier.name(), ObjectKind.VIEW,
                    objectId, newLocation);
            switch (result) {
                case INSERTED -> this.pointer = new ObjectPointer(newLocation, objectId, 1L);
                case NO_NAMESPACE -> throw new NoSuchNamespaceException(
                        "Cannot create view %s. Namespace does not exist: %s", identifier, identifier.namespace());
                case ALREADY_EXISTS -> throw store.objects()
                        .find(warehouse, namespace(), identifier.name(), ObjectKind.TABLE).isPresent()
                        ? new AlreadyExistsException("Table with same name already exists: %s", identifier)
                        : new AlreadyExistsException("View already exists: %s", identifier);
            }
            return;
        }
        ObjectPointer expected = expected(base);
        boolean swapped;
        try {
            swapped = store.objects().compareAndSwap(warehouse, namespace(), identifier.name(), ObjectKind.VIEW,
                    expected.objectId(), expected.version(), newLocation, base.metadataFileLocation());
        } catch (StoreException e) {
            throw new CommitStateUnknownException(e);
        }
        if (!swapped) {
            throw new CommitFailedException("Cannot commit %s: it was changed by another commit", identifier);
        }
        this.pointer = new ObjectPointer(newLocation, expected.objectId(), expected.version() + 1);
    }

    private ObjectPointer expected(ViewMetadata base) {
        ObjectPointer seen = pointer;
        if (seen != null && Objects.equals(seen.metadataLocation(), base.metadataFileLocation())) {
            return seen;
        }
        CatalogObject row = store.objects().find(warehouse, namespace(), identifier.name(), ObjectKind.VIEW)
                .orElseThrow(() -> new NoSuchViewException("View does not exist: %s", identifier));
        if (!Objects.equals(row.metadataLocation(), base.metadataFileLocation())) {
            throw new CommitFailedException("Cannot commit %s: it was changed by another commit", identifier);
        }
        return new ObjectPointer(row.metadataLocation(), row.objectId(), row.version());
    }

    @Override
    protected String viewName() {
        return fullName;
    }

    @Override
    protected FileIO io() {
        return io;
    }
}
