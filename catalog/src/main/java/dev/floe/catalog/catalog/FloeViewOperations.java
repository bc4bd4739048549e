package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.ObjectKind;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
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
    private final StoredPointer pointer;
    private final LocationConfinement confinement;

    FloeViewOperations(MetadataStore store, String warehouse, TableIdentifier identifier, String fullName, FileIO io,
                       LocationConfinement confinement) {
        this.confinement = confinement;
        this.store = store;
        this.warehouse = warehouse;
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
            // as for tables: location changes one at a time, so overlap checks cannot race
            synchronized (confinement) {
                commitChecked(base, metadata);
            }
        } else {
            commitChecked(base, metadata);
        }
    }

    private void commitChecked(ViewMetadata base, ViewMetadata metadata) {
        confinement.checkView(identifier, base, metadata);
        String newLocation = writeNewMetadataIfRequired(metadata);
        if (base == null) {
            switch (pointer.insert(newLocation, metadata.location())) {
                case INSERTED -> { }
                case NO_NAMESPACE -> throw new NoSuchNamespaceException(
                        "Cannot create view %s. Namespace does not exist: %s", identifier, identifier.namespace());
                case ALREADY_EXISTS -> throw store.objects()
                        .find(warehouse, List.of(identifier.namespace().levels()), identifier.name(), ObjectKind.TABLE)
                        .isPresent()
                        ? new AlreadyExistsException("Table with same name already exists: %s", identifier)
                        : new AlreadyExistsException("View already exists: %s", identifier);
            }
            return;
        }
        ObjectPointer expected = pointer.expected(base.metadataFileLocation(),
                () -> new NoSuchViewException("View does not exist: %s", identifier));
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
