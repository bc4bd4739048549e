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
import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.FileIO;

/**
 * Table operations over the metadata store: refresh reads the sealed metadata pointer and its row
 * version; commit writes the new metadata file, then moves the pointer with one compare-and-swap on
 * the version column, so of two concurrent commits from the same base exactly one wins and the
 * other gets {@link CommitFailedException} (which Iceberg's retry turns into refresh-and-reapply).
 */
public class FloeTableOperations extends BaseMetastoreTableOperations {

    private final MetadataStore store;
    private final String warehouse;
    private final TableIdentifier identifier;
    private final String fullName;
    private final FileIO io;
    private volatile ObjectPointer pointer;

    FloeTableOperations(MetadataStore store, String warehouse, TableIdentifier identifier, String fullName, FileIO io) {
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
        Optional<CatalogObject> row = store.objects().find(warehouse, namespace(), identifier.name(), ObjectKind.TABLE);
        if (row.isEmpty()) {
            if (currentMetadataLocation() != null) {
                throw new NoSuchTableException("Table does not exist: %s (dropped by another process)", identifier);
            }
            disableRefresh();
            return;
        }
        this.pointer = new ObjectPointer(row.get().metadataLocation(), row.get().objectId(), row.get().version());
        refreshFromMetadataLocation(row.get().metadataLocation());
    }

    @Override
    protected void doCommit(TableMetadata base, TableMetadata metadata) {
        boolean newTable = base == null;
        String newLocation = writeNewMetadataIfRequired(newTable, metadata);
        if (newTable) {
            create(newLocation);
        } else {
            swap(expected(base), newLocation, base.metadataFileLocation());
        }
    }

    private void create(String newLocation) {
        String objectId = UUID.randomUUID().toString();
        InsertResult result = store.objects().insert(warehouse, namespace(), identifier.name(), ObjectKind.TABLE, objectId, newLocation);
        switch (result) {
            case INSERTED -> this.pointer = new ObjectPointer(newLocation, objectId, 1L);
            case NO_NAMESPACE -> throw new NoSuchNamespaceException(
                    "Cannot create table %s. Namespace does not exist: %s", identifier, identifier.namespace());
            case ALREADY_EXISTS -> throw alreadyExists(store, warehouse, identifier);
        }
    }

    private void swap(ObjectPointer expected, String newLocation, String previousLocation) {
        boolean swapped;
        try {
            swapped = store.objects().compareAndSwap(warehouse, namespace(), identifier.name(), ObjectKind.TABLE,
                    expected.objectId(), expected.version(), newLocation, previousLocation);
        } catch (StoreException e) {
            // the UPDATE may or may not have been applied: the new metadata file must stay
            throw new CommitStateUnknownException(e);
        }
        if (!swapped) {
            throw new CommitFailedException("Cannot commit %s: it was changed by another commit", identifier);
        }
        this.pointer = new ObjectPointer(newLocation, expected.objectId(), expected.version() + 1);
    }

    /** The row (object id, version) at which the pointer was {@code base}'s metadata file. */
    ObjectPointer expected(TableMetadata base) {
        ObjectPointer seen = pointer;
        if (seen != null && Objects.equals(seen.metadataLocation(), base.metadataFileLocation())) {
            return seen;
        }
        CatalogObject row = store.objects().find(warehouse, namespace(), identifier.name(), ObjectKind.TABLE)
                .orElseThrow(() -> new NoSuchTableException("Table does not exist: %s", identifier));
        if (!Objects.equals(row.metadataLocation(), base.metadataFileLocation())) {
            throw new CommitFailedException("Cannot commit %s: it was changed by another commit", identifier);
        }
        return new ObjectPointer(row.metadataLocation(), row.objectId(), row.version());
    }

    /**
     * Writes {@code updated}'s metadata file for a commit that {@link FloeCatalog#commitTransaction}
     * will apply together with other tables.
     */
    String writeForTransaction(TableMetadata base, TableMetadata updated) {
        return writeNewMetadataIfRequired(base == null, updated);
    }

    static AlreadyExistsException alreadyExists(MetadataStore store, String warehouse, TableIdentifier identifier) {
        boolean isView = store.objects()
                .find(warehouse, List.of(identifier.namespace().levels()), identifier.name(), ObjectKind.VIEW)
                .isPresent();
        return isView
                ? new AlreadyExistsException("View with same name already exists: %s", identifier)
                : new AlreadyExistsException("Table already exists: %s", identifier);
    }

    TableIdentifier identifier() {
        return identifier;
    }

    @Override
    public FileIO io() {
        return io;
    }

    @Override
    protected String tableName() {
        return fullName;
    }
}
