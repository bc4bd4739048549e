package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.ObjectKind;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.view.BaseViewOperations;
import org.apache.iceberg.view.ViewMetadata;

/**
 * View operations over the metadata store, with the same compare-and-swap on the row version as
 * {@link FloeTableOperations}.
 */
public class FloeViewOperations extends BaseViewOperations {

    private final TableIdentifier identifier;
    private final String fullName;
    private final FileIO io;
    private final StoredPointer pointer;
    private final LocationConfinement confinement;

    FloeViewOperations(
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
        this.pointer = new StoredPointer(store, warehouse, identifier, ObjectKind.VIEW);
    }

    @Override
    protected void doRefresh() {
        Optional<String> location = pointer.refresh();
        if (location.isEmpty()) {
            if (currentMetadataLocation() != null) {
                throw new NoSuchViewException("View does not exist: %s", identifier);
            }
            disableRefresh();
            return;
        }
        refreshFromMetadataLocation(location.get());
    }

    @Override
    protected void doCommit(ViewMetadata base, ViewMetadata metadata) {
        if (base == null || !base.location().equals(metadata.location())) {
            // as for tables
            confinement.commitClaiming(
                    base == null ? "create view" : "move view",
                    () -> confinement.checkView(identifier, base, metadata),
                    () -> writeNewMetadataIfRequired(metadata),
                    newLocation -> record(base, metadata, newLocation),
                    metadata.metadataFileLocation());
        } else {
            confinement.checkView(identifier, base, metadata);
            record(base, metadata, writeNewMetadataIfRequired(metadata));
        }
    }

    private void record(ViewMetadata base, ViewMetadata metadata, String newLocation) {
        if (base == null) {
            pointer.create(newLocation, metadata.location());
            return;
        }
        ObjectPointer expected = pointer.expected(
                base.metadataFileLocation(), () -> new NoSuchViewException("View does not exist: %s", identifier));
        pointer.swap(expected, newLocation, base.metadataFileLocation(), metadata.location());
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
