package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.ObjectKind;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.view.BaseViewOperations;
import org.apache.iceberg.view.ViewMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * View operations over the metadata store, with the same compare-and-swap on the row version as
 * {@link FloeTableOperations}.
 */
public class FloeViewOperations extends BaseViewOperations {

    private static final Logger LOG = LoggerFactory.getLogger(FloeViewOperations.class);

    private final MetadataStore store;
    private final String warehouse;
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
            // as for tables: checked before the file is written, then again under the store's
            // location lock, one at a time in this process
            synchronized (confinement) {
                confinement.checkView(identifier, base, metadata);
                String newLocation = writeNewMetadataIfRequired(metadata);
                try {
                    confinement.claiming(base == null ? "create view" : "move view", () -> {
                        confinement.checkView(identifier, base, metadata);
                        record(base, metadata, newLocation);
                        return null;
                    });
                } catch (ForbiddenException | BadRequestException e) {
                    if (!newLocation.equals(metadata.metadataFileLocation())) {
                        deleteQuietly(newLocation);
                    }
                    throw e;
                }
            }
        } else {
            confinement.checkView(identifier, base, metadata);
            record(base, metadata, writeNewMetadataIfRequired(metadata));
        }
    }

    private void record(ViewMetadata base, ViewMetadata metadata, String newLocation) {
        if (base == null) {
            switch (pointer.insert(newLocation, metadata.location())) {
                case INSERTED -> {}
                case NO_NAMESPACE ->
                    throw new NoSuchNamespaceException(
                            "Cannot create view %s. Namespace does not exist: %s", identifier, identifier.namespace());
                case ALREADY_EXISTS ->
                    throw store.objects()
                                    .find(
                                            warehouse,
                                            List.of(identifier.namespace().levels()),
                                            identifier.name(),
                                            ObjectKind.TABLE)
                                    .isPresent()
                            ? new AlreadyExistsException("Table with same name already exists: %s", identifier)
                            : new AlreadyExistsException("View already exists: %s", identifier);
            }
            return;
        }
        ObjectPointer expected = pointer.expected(
                base.metadataFileLocation(), () -> new NoSuchViewException("View does not exist: %s", identifier));
        pointer.swap(expected, newLocation, base.metadataFileLocation(), metadata.location());
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

    @Override
    protected String viewName() {
        return fullName;
    }

    @Override
    protected FileIO io() {
        return io;
    }
}
