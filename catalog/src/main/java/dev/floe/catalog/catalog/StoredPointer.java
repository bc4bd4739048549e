package dev.floe.catalog.catalog;

import dev.floe.catalog.store.CatalogObjectRepository.InsertResult;
import dev.floe.catalog.store.CurrentPointer;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.ObjectKind;
import dev.floe.catalog.store.StoreException;
import dev.floe.catalog.store.StoreUnavailableException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;

/**
 * The store row behind one table or view and the (object id, version) last seen for it: the
 * compare-and-swap state that {@link FloeTableOperations} and {@link FloeViewOperations} share, so
 * both kinds insert, read and move their metadata pointer by exactly the same rules.
 */
final class StoredPointer {

    private final MetadataStore store;
    private final String warehouse;
    private final TableIdentifier identifier;
    private final ObjectKind kind;
    private volatile ObjectPointer seen;

    StoredPointer(MetadataStore store, String warehouse, TableIdentifier identifier, ObjectKind kind) {
        this.store = store;
        this.warehouse = warehouse;
        this.identifier = identifier;
        this.kind = kind;
    }

    private List<String> namespace() {
        return List.of(identifier.namespace().levels());
    }

    /** Reads the row; remembers and returns its metadata location, or empty when there is none. */
    Optional<String> refresh() {
        Optional<CurrentPointer> row = store.objects().findPointer(warehouse, namespace(), identifier.name(), kind);
        row.ifPresent(r -> seen = new ObjectPointer(r.metadataLocation(), r.objectId(), r.version()));
        return row.map(CurrentPointer::metadataLocation);
    }

    /**
     * Inserts the row of a new table or view; on success the new row is what a next commit swaps
     * from. The errors are Iceberg's: no such namespace, or the name taken by a table or a view.
     */
    void create(String metadataLocation, String objectLocation) {
        String objectId = UUID.randomUUID().toString();
        InsertResult result = store.objects()
                .insert(warehouse, namespace(), identifier.name(), kind, objectId, metadataLocation, objectLocation);
        switch (result) {
            case INSERTED -> seen = new ObjectPointer(metadataLocation, objectId, 1L);
            case NO_NAMESPACE ->
                throw new NoSuchNamespaceException(
                        "Cannot create %s %s. Namespace does not exist: %s",
                        kind.column(), identifier, identifier.namespace());
            case ALREADY_EXISTS -> throw alreadyExists();
        }
    }

    private AlreadyExistsException alreadyExists() {
        ObjectKind other = kind == ObjectKind.TABLE ? ObjectKind.VIEW : ObjectKind.TABLE;
        boolean takenByOther = store.objects()
                .find(warehouse, namespace(), identifier.name(), other)
                .isPresent();
        return takenByOther
                ? new AlreadyExistsException("%s with same name already exists: %s", noun(other), identifier)
                : new AlreadyExistsException("%s already exists: %s", noun(kind), identifier);
    }

    /** "Table" or "View", as Iceberg's own messages spell them. */
    private static String noun(ObjectKind kind) {
        return kind == ObjectKind.TABLE ? "Table" : "View";
    }

    /**
     * The row (object id, version) at which the pointer was {@code baseLocation}: the one last seen
     * when it matches, else read again; {@link CommitFailedException} when the row has moved on.
     */
    ObjectPointer expected(String baseLocation, Supplier<? extends RuntimeException> missing) {
        ObjectPointer last = seen;
        if (last != null && Objects.equals(last.metadataLocation(), baseLocation)) {
            return last;
        }
        CurrentPointer row = store.objects()
                .findPointer(warehouse, namespace(), identifier.name(), kind)
                .orElseThrow(missing);
        if (!Objects.equals(row.metadataLocation(), baseLocation)) {
            throw changedByAnotherCommit();
        }
        return new ObjectPointer(row.metadataLocation(), row.objectId(), row.version());
    }

    /**
     * Moves the pointer from {@code expected} to {@code newLocation} with one compare-and-swap,
     * recording the object's own location as of the new metadata.
     */
    void swap(ObjectPointer expected, String newLocation, String previousLocation, String objectLocation) {
        boolean swapped;
        try {
            swapped = store.objects()
                    .compareAndSwap(
                            warehouse,
                            namespace(),
                            identifier.name(),
                            kind,
                            expected.objectId(),
                            expected.version(),
                            newLocation,
                            previousLocation,
                            objectLocation);
        } catch (StoreUnavailableException e) {
            // the UPDATE did not run, or was refused and rolled back: the client may retry later
            throw storeBusy(e);
        } catch (StoreException e) {
            // the UPDATE may or may not have been applied: the new metadata file must stay
            throw new CommitStateUnknownException(e);
        }
        if (!swapped) {
            throw changedByAnotherCommit();
        }
        seen = new ObjectPointer(newLocation, expected.objectId(), expected.version() + 1);
    }

    /** 503 with Retry-After: the commit certainly did not apply; the cause stays in the server log. */
    static ServiceUnavailableException storeBusy(StoreUnavailableException e) {
        return new ServiceUnavailableException(e, "Cannot commit: the metadata store is busy; nothing was applied");
    }

    private CommitFailedException changedByAnotherCommit() {
        return new CommitFailedException("Cannot commit %s: it was changed by another commit", identifier);
    }
}
