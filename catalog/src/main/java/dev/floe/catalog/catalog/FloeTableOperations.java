package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.ObjectKind;
import java.util.Optional;
import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.FileIO;

/**
 * Table operations over the metadata store: refresh reads the sealed metadata pointer and its row
 * version; commit writes the new metadata file, then moves the pointer with one compare-and-swap on
 * the version column, so of two concurrent commits from the same base exactly one wins and the
 * other gets {@link CommitFailedException} (which Iceberg's retry turns into refresh-and-reapply).
 */
public class FloeTableOperations extends BaseMetastoreTableOperations {

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
            confinement.commitClaiming(
                    newTable ? "create table" : "move table",
                    () -> confinement.checkTable(identifier, base, metadata),
                    () -> writeNewMetadataIfRequired(newTable, metadata),
                    newLocation -> record(base, metadata, newLocation),
                    metadata.metadataFileLocation());
        } else {
            // before the metadata file is written: its location comes from what is checked here
            confinement.checkTable(identifier, base, metadata);
            String newLocation = writeNewMetadataIfRequired(false, metadata);
            record(base, metadata, newLocation);
        }
    }

    private void record(TableMetadata base, TableMetadata metadata, String newLocation) {
        if (base == null) {
            pointer.create(newLocation, metadata.location());
        } else {
            pointer.swap(expected(base), newLocation, base.metadataFileLocation(), metadata.location());
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
