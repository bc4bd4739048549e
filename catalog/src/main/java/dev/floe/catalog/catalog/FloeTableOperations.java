package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.ObjectKind;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table operations over the metadata store: refresh reads the sealed metadata pointer and its row
 * version; commit writes the new metadata file, then moves the pointer with one compare-and-swap on
 * the version column, so of two concurrent commits from the same base exactly one wins and the
 * other gets {@link CommitFailedException} (which Iceberg's retry turns into refresh-and-reapply).
 */
public class FloeTableOperations extends BaseMetastoreTableOperations {

    private static final Logger LOG = LoggerFactory.getLogger(FloeTableOperations.class);

    private final MetadataStore store;
    private final String warehouse;
    private final TableIdentifier identifier;
    private final String fullName;
    private final FileIO io;
    private final StoredPointer pointer;
    private final LocationConfinement confinement;

    FloeTableOperations(
            MetadataStore store,
            String warehouse,
            TableIdentifier identifier,
            String fullName,
            FileIO io,
            LocationConfinement confinement) {
        this.confinement = confinement;
        this.store = store;
        this.warehouse = warehouse;
        this.identifier = identifier;
        this.fullName = fullName;
        this.io = io;
        this.pointer = new StoredPointer(store, warehouse, identifier, ObjectKind.TABLE);
    }

    @Override
    protected void doRefresh() {
        Optional<String> location = pointer.refresh();
        if (location.isEmpty()) {
            if (currentMetadataLocation() != null) {
                throw new NoSuchTableException("Table does not exist: %s (dropped by another process)", identifier);
            }
            disableRefresh();
            return;
        }
        refreshFromMetadataLocation(location.get());
    }

    @Override
    protected void doCommit(TableMetadata base, TableMetadata metadata) {
        boolean newTable = base == null;
        if (newTable || !base.location().equals(metadata.location())) {
            // one location change at a time per warehouse in this process, so threads wait here
            // rather than each holding a connection while they wait for the store's location lock
            synchronized (confinement) {
                commitClaimingLocation(base, metadata);
            }
        } else {
            // before the metadata file is written: its location comes from what is checked here
            confinement.checkTable(identifier, base, metadata);
            String newLocation = writeNewMetadataIfRequired(false, metadata);
            record(base, metadata, newLocation);
        }
    }

    /**
     * A create, register or move: checked before its metadata file is written (nothing lands in a
     * refused place), then checked again and recorded under the store's location lock, since
     * another replica may have claimed an overlapping location in between.
     */
    private void commitClaimingLocation(TableMetadata base, TableMetadata metadata) {
        confinement.checkTable(identifier, base, metadata);
        String newLocation = writeNewMetadataIfRequired(base == null, metadata);
        try {
            confinement.claiming(base == null ? "create table" : "move table", () -> {
                confinement.checkTable(identifier, base, metadata);
                record(base, metadata, newLocation);
                return null;
            });
        } catch (ForbiddenException | BadRequestException e) {
            // refused after all: a metadata file written for it is garbage (a registered one is not ours)
            if (!newLocation.equals(metadata.metadataFileLocation())) {
                deleteQuietly(newLocation);
            }
            throw e;
        }
    }

    private void record(TableMetadata base, TableMetadata metadata, String newLocation) {
        if (base == null) {
            create(newLocation, metadata.location());
        } else {
            pointer.swap(expected(base), newLocation, base.metadataFileLocation(), metadata.location());
        }
    }

    private void deleteQuietly(String location) {
        try {
            io.deleteFile(location);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Cannot delete the metadata file of a refused commit: {}",
                    e.getClass().getSimpleName());
        }
    }

    private void create(String newLocation, String tableLocation) {
        switch (pointer.insert(newLocation, tableLocation)) {
            case INSERTED -> {}
            case NO_NAMESPACE ->
                throw new NoSuchNamespaceException(
                        "Cannot create table %s. Namespace does not exist: %s", identifier, identifier.namespace());
            case ALREADY_EXISTS -> throw alreadyExists(store, warehouse, identifier);
        }
    }

    /** The row (object id, version) at which the pointer was {@code base}'s metadata file. */
    ObjectPointer expected(TableMetadata base) {
        return pointer.expected(
                base.metadataFileLocation(), () -> new NoSuchTableException("Table does not exist: %s", identifier));
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
