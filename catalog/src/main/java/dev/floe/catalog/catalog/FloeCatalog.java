package dev.floe.catalog.catalog;

import dev.floe.catalog.store.CatalogObjectRepository.InsertResult;
import dev.floe.catalog.store.CatalogObjectRepository.RenameResult;
import dev.floe.catalog.store.CurrentPointer;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.NamespaceRecord;
import dev.floe.catalog.store.NamespaceRepository;
import dev.floe.catalog.store.ObjectKind;
import dev.floe.catalog.store.Page;
import dev.floe.catalog.store.StoreException;
import dev.floe.catalog.store.StoreUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.RetryableValidationException;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.CloseableGroup;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.util.LocationUtil;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.Tasks;
import org.apache.iceberg.view.BaseMetastoreViewCatalog;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Iceberg catalog of one warehouse, persisted in the {@link MetadataStore}: namespaces (nested,
 * with properties), tables and views whose current metadata pointer moves by compare-and-swap on a
 * row version, keyset-paginated listings, and {@link #commitTransaction} that applies changes to
 * several tables in one database transaction. Construct it with a store and a warehouse name, then
 * {@link #initialize} it with at least {@code warehouse} (the location new tables go under) and
 * optionally {@code io-impl} (default {@link FloeFileIO}).
 */
public class FloeCatalog extends BaseMetastoreViewCatalog implements SupportsNamespaces {

    private static final Logger LOG = LoggerFactory.getLogger(FloeCatalog.class);
    /** The namespace property Iceberg uses for a namespace's own location. */
    public static final String NAMESPACE_LOCATION = "location";

    private final MetadataStore store;
    private final String warehouse;
    private String catalogName = "floe";
    private Map<String, String> properties = Map.of();
    private String warehouseLocation;
    private ConfinedFileIO io;
    private LocationConfinement confinement;
    private CloseableGroup closeables;
    private boolean uniqueTableLocation;

    /**
     * @param store     the metadata store (not closed by this catalog)
     * @param warehouse the warehouse name its rows are stored under (the REST prefix)
     */
    public FloeCatalog(MetadataStore store, String warehouse) {
        this.store = java.util.Objects.requireNonNull(store, "store");
        this.warehouse = java.util.Objects.requireNonNull(warehouse, "warehouse");
    }

    @Override
    public void initialize(String name, Map<String, String> props) {
        super.initialize(name, props);
        this.catalogName = name == null ? "floe" : name;
        this.properties = Map.copyOf(props);
        String location = props.get(CatalogProperties.WAREHOUSE_LOCATION);
        checkArgument(
                location != null && !location.isBlank(),
                "Missing catalog property %s: the location new tables are created under",
                CatalogProperties.WAREHOUSE_LOCATION);
        this.warehouseLocation = stripTrailingSlash(location);
        LocationPolicy policy = new LocationPolicy(
                StorageLocation.parse(warehouseLocation),
                LocationPolicy.Placement.parse(props.getOrDefault(LocationPolicy.PLACEMENT_PROPERTY, "namespace")));
        String ioImpl = props.getOrDefault(CatalogProperties.FILE_IO_IMPL, FloeFileIO.class.getName());
        // every file the catalog reads, writes or deletes lies inside the warehouse, whatever asked for it
        this.io = new ConfinedFileIO(CatalogUtil.loadFileIO(ioImpl, props, null), policy.root(), policy.root());
        this.confinement = new LocationConfinement(store, warehouse, warehouseLocation, policy, io);
        this.uniqueTableLocation = PropertyUtil.propertyAsBoolean(
                props, CatalogProperties.UNIQUE_TABLE_LOCATION, CatalogProperties.UNIQUE_TABLE_LOCATION_DEFAULT);
        this.closeables = new CloseableGroup();
        closeables.addCloseable(io);
        closeables.setSuppressCloseFailure(true);
    }

    @Override
    public String name() {
        return catalogName;
    }

    /** The warehouse name this catalog's rows are stored under. */
    public String warehouse() {
        return warehouse;
    }

    /** The location tables are created under unless a namespace sets its own. */
    public String warehouseLocation() {
        return warehouseLocation;
    }

    @Override
    protected Map<String, String> properties() {
        return properties;
    }

    /** The catalog's FileIO (shared by its tables and views). */
    public FileIO io() {
        return io;
    }

    @Override
    protected TableOperations newTableOps(TableIdentifier identifier) {
        return new FloeTableOperations(
                store, warehouse, identifier, fullTableName(catalogName, identifier), io, confinement);
    }

    @Override
    protected ViewOperations newViewOps(TableIdentifier identifier) {
        return new FloeViewOperations(
                store, warehouse, identifier, fullTableName(catalogName, identifier), io, confinement);
    }

    @Override
    protected String defaultWarehouseLocation(TableIdentifier identifier) {
        // under the namespace's location: its own property, else its parent's plus its name
        String namespaceLocation = confinement.namespaceLocationString(levels(identifier.namespace()));
        String location = namespaceLocation + "/" + LocationUtil.tableLocation(identifier, uniqueTableLocation);
        if (!uniqueTableLocation && confinement.isTaken(location)) {
            // a table renamed away keeps its directory: a new table of the old name gets a unique one
            // rather than a refusal for overlapping it
            location = namespaceLocation + "/" + LocationUtil.tableLocation(identifier, true);
        }
        return location;
    }

    @Override
    protected boolean isValidIdentifier(TableIdentifier identifier) {
        return identifier != null && !identifier.namespace().isEmpty();
    }

    // ---- tables ----

    @Override
    public List<TableIdentifier> listTables(Namespace namespace) {
        return listAll(namespace, ObjectKind.TABLE);
    }

    /** One page of the tables in {@code namespace}; {@code pageToken} null starts at the beginning. */
    public Page<TableIdentifier> listTables(Namespace namespace, String pageToken, Integer pageSize) {
        return listPage(namespace, ObjectKind.TABLE, pageToken, pageSize);
    }

    /**
     * The table's current metadata location, read from its row alone (no metadata file is read):
     * cheap enough to validate a cached load response or an ETag on every request.
     */
    public Optional<String> currentMetadataLocation(TableIdentifier identifier) {
        if (!isValidIdentifier(identifier)) {
            return Optional.empty();
        }
        return store.objects()
                .findPointer(warehouse, levels(identifier.namespace()), identifier.name(), ObjectKind.TABLE)
                .map(CurrentPointer::metadataLocation);
    }

    /**
     * The table metadata in the file at {@code metadataLocation}, read through this catalog's
     * confined FileIO: for a caller that has just read the pointer ({@link #currentMetadataLocation})
     * and must not have a full {@code loadTable} read and decrypt it again.
     */
    public TableMetadata tableMetadata(String metadataLocation) {
        return TableMetadataParser.read(io, metadataLocation);
    }

    @Override
    public boolean dropTable(TableIdentifier identifier, boolean purge) {
        if (!isValidIdentifier(identifier)) {
            return false;
        }
        TableOperations ops = newTableOps(identifier);
        TableMetadata last = null;
        if (purge) {
            try {
                last = ops.current();
            } catch (NotFoundException | ForbiddenException e) {
                // missing, or outside the warehouse (a table created before locations were confined)
                LOG.warn("Cannot load metadata of {} to purge its files; dropping the entry only", identifier);
            }
        }
        boolean deleted =
                store.objects().delete(warehouse, levels(identifier.namespace()), identifier.name(), ObjectKind.TABLE);
        if (!deleted) {
            return false;
        }
        if (purge && last != null) {
            purge(last);
        }
        LOG.info("Dropped table {} (purge={})", identifier, purge);
        return true;
    }

    /**
     * Deletes the files of a dropped table, but only those under the table's own location: its
     * metadata names statistics files, manifest lists and data files, and none of them may take a
     * purge outside the table. The table is already dropped, so a failure is logged, not thrown.
     */
    private void purge(TableMetadata last) {
        try {
            CatalogUtil.dropTableData(io.forPurge(StorageLocation.parse(last.location())), last);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Purge of a dropped table's files stopped early: {}",
                    e.getClass().getSimpleName());
        }
    }

    /**
     * Registers an existing metadata file as a table, once the file is known to lie under the
     * target namespace's location; the metadata it holds is then checked as a new table's would be.
     */
    @Override
    public org.apache.iceberg.Table registerTable(TableIdentifier identifier, String metadataFileLocation) {
        if (isValidIdentifier(identifier) && metadataFileLocation != null && !metadataFileLocation.isEmpty()) {
            confinement.checkRegistration(identifier, metadataFileLocation);
        }
        return super.registerTable(identifier, metadataFileLocation);
    }

    /** As {@link #registerTable}, for a view's metadata file. */
    @Override
    public org.apache.iceberg.view.View registerView(TableIdentifier identifier, String metadataFileLocation) {
        if (isValidIdentifier(identifier) && metadataFileLocation != null && !metadataFileLocation.isEmpty()) {
            confinement.checkRegistration(identifier, metadataFileLocation);
        }
        return super.registerView(identifier, metadataFileLocation);
    }

    @Override
    public void renameTable(TableIdentifier from, TableIdentifier to) {
        rename(from, to, ObjectKind.TABLE);
    }

    private void rename(TableIdentifier from, TableIdentifier to, ObjectKind kind) {
        boolean table = kind == ObjectKind.TABLE;
        if (!isValidIdentifier(from)
                || !store.objects()
                        .find(warehouse, levels(from.namespace()), from.name(), kind)
                        .isPresent()) {
            throw table
                    ? new NoSuchTableException("Table does not exist: %s", from)
                    : new NoSuchViewException("View does not exist: %s", from);
        }
        if (from.equals(to)) {
            return;
        }
        if (!isValidIdentifier(to) || !namespaceExists(to.namespace())) {
            throw new NoSuchNamespaceException("Namespace does not exist: %s", to.namespace());
        }
        RenameResult result = store.objects()
                .rename(warehouse, levels(from.namespace()), from.name(), levels(to.namespace()), to.name(), kind);
        switch (result) {
            case RENAMED -> LOG.info("Renamed {} {} to {}", kind.column(), from, to);
            case NOT_FOUND ->
                throw table
                        ? new NoSuchTableException("Table does not exist: %s", from)
                        : new NoSuchViewException("View does not exist: %s", from);
            case NO_TARGET_NAMESPACE ->
                throw new NoSuchNamespaceException("Namespace does not exist: %s", to.namespace());
            case TARGET_EXISTS -> {
                boolean targetIsView = store.objects()
                        .find(warehouse, levels(to.namespace()), to.name(), ObjectKind.VIEW)
                        .isPresent();
                if (targetIsView) {
                    throw new AlreadyExistsException("Cannot rename %s to %s. View already exists", from, to);
                }
                throw table
                        ? new AlreadyExistsException("Table already exists: %s", to)
                        : new AlreadyExistsException("Cannot rename %s to %s. Table already exists", from, to);
            }
            case CONCURRENT_CHANGE ->
                throw new CommitFailedException("Cannot rename %s: it was changed by a concurrent commit; retry", from);
        }
    }

    // ---- views ----

    @Override
    public List<TableIdentifier> listViews(Namespace namespace) {
        return listAll(namespace, ObjectKind.VIEW);
    }

    /** One page of the views in {@code namespace}. */
    public Page<TableIdentifier> listViews(Namespace namespace, String pageToken, Integer pageSize) {
        return listPage(namespace, ObjectKind.VIEW, pageToken, pageSize);
    }

    @Override
    public boolean dropView(TableIdentifier identifier) {
        if (!isValidIdentifier(identifier)) {
            return false;
        }
        ViewOperations ops = newViewOps(identifier);
        ViewMetadata last = null;
        try {
            last = ops.current();
        } catch (NotFoundException | ForbiddenException e) {
            LOG.warn("Cannot load metadata of view {}; dropping the entry only", identifier);
        }
        boolean deleted =
                store.objects().delete(warehouse, levels(identifier.namespace()), identifier.name(), ObjectKind.VIEW);
        if (!deleted) {
            return false;
        }
        if (last != null) {
            try {
                CatalogUtil.dropViewMetadata(io.forPurge(StorageLocation.parse(last.location())), last);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Deleting a dropped view's metadata files stopped early: {}",
                        e.getClass().getSimpleName());
            }
        }
        LOG.info("Dropped view {}", identifier);
        return true;
    }

    @Override
    public void renameView(TableIdentifier from, TableIdentifier to) {
        rename(from, to, ObjectKind.VIEW);
    }

    private List<TableIdentifier> listAll(Namespace namespace, ObjectKind kind) {
        List<TableIdentifier> all = new ArrayList<>();
        String token = null;
        do {
            Page<TableIdentifier> page = listPage(namespace, kind, token, null);
            all.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }

    private Page<TableIdentifier> listPage(Namespace namespace, ObjectKind kind, String pageToken, Integer pageSize) {
        requireNamespace(namespace);
        Page<String> names = store.objects().list(warehouse, levels(namespace), kind, pageToken, pageSize);
        return new Page<>(
                names.items().stream()
                        .map(n -> TableIdentifier.of(namespace, n))
                        .toList(),
                names.nextPageToken());
    }

    // ---- namespaces ----

    @Override
    public void createNamespace(Namespace namespace, Map<String, String> metadata) {
        checkArgument(!namespace.isEmpty(), "Invalid namespace: empty");
        if (namespace.length() > 1 && !namespaceExists(parent(namespace))) {
            throw new NoSuchNamespaceException(
                    "Cannot create namespace %s. Parent namespace does not exist: %s", namespace, parent(namespace));
        }
        Map<String, String> properties = metadata == null ? Map.of() : metadata;
        // its location is checked and recorded under the store's location lock, so no replica can
        // claim an overlapping location in between
        NamespaceRepository.CreateResult result = confinement.claiming("create namespace", () -> {
            if (!namespaceExists(namespace)) {
                confinement.checkNamespace(levels(namespace), properties);
            }
            return store.namespaces().create(warehouse, levels(namespace), properties);
        });
        switch (result) {
            case CREATED -> LOG.info("Created namespace {}", namespace);
            case ALREADY_EXISTS -> throw new AlreadyExistsException("Namespace already exists: %s", namespace);
            case PARENT_MISSING ->
                throw new NoSuchNamespaceException(
                        "Cannot create namespace %s. Parent namespace does not exist: %s",
                        namespace, parent(namespace));
        }
    }

    @Override
    public List<Namespace> listNamespaces(Namespace namespace) {
        List<Namespace> all = new ArrayList<>();
        String token = null;
        do {
            Page<Namespace> page = listNamespaces(namespace, token, null);
            all.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }

    /** One page of the direct children of {@code parent} (the root when empty). */
    public Page<Namespace> listNamespaces(Namespace parent, String pageToken, Integer pageSize) {
        if (!parent.isEmpty() && !namespaceExists(parent)) {
            throw new NoSuchNamespaceException("Namespace does not exist: %s", parent);
        }
        Page<List<String>> page = store.namespaces().listChildren(warehouse, levels(parent), pageToken, pageSize);
        return new Page<>(
                page.items().stream()
                        .map(l -> Namespace.of(l.toArray(String[]::new)))
                        .toList(),
                page.nextPageToken());
    }

    /**
     * A mutable copy of the namespace's properties: Iceberg's response builders probe the map with
     * {@code containsKey(null)}, which immutable JDK maps reject with a NullPointerException.
     */
    @Override
    public Map<String, String> loadNamespaceMetadata(Namespace namespace) {
        return new HashMap<>(findNamespace(namespace).properties());
    }

    private NamespaceRecord findNamespace(Namespace namespace) {
        if (namespace.isEmpty()) {
            throw new NoSuchNamespaceException("Namespace does not exist: %s", namespace);
        }
        return store.namespaces()
                .find(warehouse, levels(namespace))
                .orElseThrow(() -> new NoSuchNamespaceException("Namespace does not exist: %s", namespace));
    }

    @Override
    public boolean namespaceExists(Namespace namespace) {
        return !namespace.isEmpty() && store.namespaces().exists(warehouse, levels(namespace));
    }

    /**
     * Throws {@link NoSuchNamespaceException} unless the namespace exists: what a list, and a create
     * or register before anything else is checked, answer for a missing namespace.
     */
    public void requireNamespace(Namespace namespace) {
        if (!namespaceExists(namespace)) {
            throw new NoSuchNamespaceException("Namespace does not exist: %s", namespace);
        }
    }

    @Override
    public boolean dropNamespace(Namespace namespace) {
        if (namespace.isEmpty()) {
            return false;
        }
        return switch (store.namespaces().delete(warehouse, levels(namespace))) {
            case DELETED -> true;
            case NOT_FOUND -> false;
            case HAS_CHILDREN ->
                throw new NamespaceNotEmptyException("Namespace %s is not empty. It contains namespaces.", namespace);
            case HAS_OBJECTS ->
                throw new NamespaceNotEmptyException(
                        "Namespace %s is not empty. It contains tables or views.", namespace);
        };
    }

    @Override
    public boolean setProperties(Namespace namespace, Map<String, String> updates) {
        checkArgument(updates != null, "Invalid properties to set: null");
        updateNamespaceProperties(namespace, updates, Set.of());
        return !updates.isEmpty();
    }

    @Override
    public boolean removeProperties(Namespace namespace, Set<String> removals) {
        checkArgument(removals != null, "Invalid properties to remove: null");
        Map<String, String> before = loadNamespaceMetadata(namespace);
        updateNamespaceProperties(namespace, Map.of(), removals);
        return removals.stream().anyMatch(before::containsKey);
    }

    /**
     * Applies updates and removals to a namespace's properties in one compare-and-swap, for the
     * REST endpoint that does both at once.
     *
     * @return the properties before and after, so the caller can report updated/removed/missing keys
     */
    public NamespacePropertiesChange updateNamespaceProperties(
            Namespace namespace, Map<String, String> updates, Set<String> removals) {
        Set<String> overlap = new HashSet<>(updates.keySet());
        overlap.retainAll(removals);
        checkArgument(overlap.isEmpty(), "Cannot update and remove the same properties: %s", overlap);
        if (!updates.containsKey(NAMESPACE_LOCATION) && !removals.contains(NAMESPACE_LOCATION)) {
            return changeNamespaceProperties(namespace, updates, removals);
        }
        // a location change is checked and recorded under the store's location lock
        return confinement.claiming("update namespace location", () -> {
            Map<String, String> next = new HashMap<>(findNamespace(namespace).properties());
            removals.forEach(next::remove);
            next.putAll(updates);
            confinement.checkNamespace(levels(namespace), next);
            return changeNamespaceProperties(namespace, updates, removals);
        });
    }

    private NamespacePropertiesChange changeNamespaceProperties(
            Namespace namespace, Map<String, String> updates, Set<String> removals) {
        Map<String, String> before = findNamespace(namespace).properties();
        NamespaceRecord after = store.namespaces()
                .updateProperties(warehouse, levels(namespace), updates, removals)
                .orElseThrow(() -> new NoSuchNamespaceException("Namespace does not exist: %s", namespace));
        return new NamespacePropertiesChange(before, after.properties());
    }

    // ---- transactions across tables ----

    /**
     * Applies a set of table changes atomically (the REST {@code POST /v1/transactions/commit}).
     * Each change's requirements are validated against the table's current metadata and its
     * updates applied with Iceberg's own {@link MetadataUpdate#applyTo}; the new metadata files are
     * written, then every table's pointer is compare-and-swapped inside ONE database transaction:
     * either all tables move or none does. A change whose table does not exist must carry
     * {@link UpdateRequirement.AssertTableDoesNotExist} and creates it.
     *
     * @throws CommitFailedException when a requirement fails, or when concurrent commits kept
     *     winning through every retry ({@code commit.retry.num-retries}, default 4)
     * @throws NoSuchTableException when a changed table does not exist
     */
    public void commitTransaction(List<UpdateTableRequest> changes) {
        checkArgument(changes != null && !changes.isEmpty(), "Invalid transaction: no table changes");
        Set<TableIdentifier> seen = new HashSet<>();
        for (UpdateTableRequest change : changes) {
            checkArgument(change.identifier() != null, "Invalid table change: missing identifier");
            checkArgument(
                    seen.add(change.identifier()),
                    "Invalid transaction: table %s is changed more than once",
                    change.identifier());
        }
        int retries = PropertyUtil.propertyAsInt(
                properties, TableProperties.COMMIT_NUM_RETRIES, TableProperties.COMMIT_NUM_RETRIES_DEFAULT);
        try {
            if (movesOrCreatesTables(changes)) {
                // as for single commits: location changes one at a time in this process, and
                // checked again under the store's location lock across replicas
                synchronized (confinement) {
                    new TransactionAttempt(changes, true).retrying(retries);
                }
            } else {
                new TransactionAttempt(changes, false).retrying(retries);
            }
        } catch (RequirementFailed e) {
            throw e.cause;
        }
    }

    private static boolean movesOrCreatesTables(List<UpdateTableRequest> changes) {
        return changes.stream()
                .anyMatch(c -> c.updates().stream().anyMatch(u -> u instanceof MetadataUpdate.SetLocation)
                        || c.requirements().stream()
                                .anyMatch(r -> r instanceof UpdateRequirement.AssertTableDoesNotExist));
    }

    /** One attempt at a multi-table commit; retried from fresh metadata when a CAS loses. */
    private final class TransactionAttempt {
        private final List<UpdateTableRequest> changes;
        private final boolean claimsLocations;

        TransactionAttempt(List<UpdateTableRequest> changes, boolean claimsLocations) {
            this.changes = changes;
            this.claimsLocations = claimsLocations;
        }

        void retrying(int retries) {
            Tasks.foreach(this)
                    .retry(retries)
                    .exponentialBackoff(
                            TableProperties.COMMIT_MIN_RETRY_WAIT_MS_DEFAULT,
                            TableProperties.COMMIT_MAX_RETRY_WAIT_MS_DEFAULT,
                            TableProperties.COMMIT_TOTAL_RETRY_TIME_MS_DEFAULT,
                            2.0)
                    .onlyRetryOn(CommitFailedException.class)
                    .throwFailureWhenFinished()
                    .run(TransactionAttempt::run);
        }

        void run() {
            List<Staged> staged = new ArrayList<>();
            for (UpdateTableRequest change : changes) {
                stage(change).ifPresent(staged::add);
            }
            if (staged.isEmpty()) {
                return;
            }
            for (Staged s : staged) {
                s.newLocation = s.ops.writeForTransaction(s.base, s.updated);
            }
            try {
                Supplier<Void> work = () -> {
                    if (claimsLocations) {
                        recheckLocations(staged);
                    }
                    for (Staged s : staged) {
                        apply(s);
                    }
                    return null;
                };
                if (claimsLocations) {
                    confinement.claiming("commit transaction", work);
                } else {
                    store.inTransaction("commit transaction", work);
                }
            } catch (StoreUnavailableException e) {
                // the transaction was rolled back or never started: its files are garbage
                staged.forEach(s -> deleteQuietly(s.newLocation));
                throw StoredPointer.storeBusy(e);
            } catch (StoreException e) {
                throw new CommitStateUnknownException(e);
            } catch (CommitFailedException | RequirementFailed e) {
                // nothing was applied: the files written for this attempt are garbage
                staged.forEach(s -> deleteQuietly(s.newLocation));
                throw e;
            }
            LOG.info("Committed transaction over {} table(s)", staged.size());
        }

        /** Under the location lock: another replica may have claimed an overlapping location since staging. */
        private void recheckLocations(List<Staged> staged) {
            for (Staged s : staged) {
                try {
                    confinement.checkTable(s.ops.identifier(), s.base, s.updated);
                } catch (ForbiddenException | BadRequestException e) {
                    throw new RequirementFailed(e); // refused, not retried
                }
            }
        }

        private Optional<Staged> stage(UpdateTableRequest change) {
            TableIdentifier id = change.identifier();
            FloeTableOperations ops = (FloeTableOperations) newTableOps(id);
            TableMetadata base = ops.refresh();
            boolean creates = change.requirements().stream()
                    .anyMatch(r -> r instanceof UpdateRequirement.AssertTableDoesNotExist);
            if (base == null && !creates) {
                throw new RequirementFailed(new NoSuchTableException("Table does not exist: %s", id));
            }
            try {
                change.requirements().forEach(r -> r.validate(base));
            } catch (CommitFailedException e) {
                // a failed requirement will fail again: no retry
                throw new RequirementFailed(e);
            }
            TableMetadata.Builder builder = base == null ? emptyBuilder(change) : TableMetadata.buildFrom(base);
            try {
                change.updates().forEach(u -> u.applyTo(builder));
            } catch (RetryableValidationException e) {
                throw new RequirementFailed(
                        new CommitFailedException(e, "Validation failed, please retry: %s", e.getMessage()));
            }
            TableMetadata updated = builder.build();
            if (base != null && updated.changes().isEmpty()) {
                return Optional.empty();
            }
            // before any file is written: where the change would make this table read, write or purge
            confinement.checkTable(id, base, updated);
            ObjectPointer expected = base == null ? null : ops.expected(base);
            return Optional.of(new Staged(ops, base, updated, expected));
        }

        private void apply(Staged s) {
            TableIdentifier id = s.ops.identifier();
            List<String> ns = levels(id.namespace());
            if (s.base == null) {
                InsertResult result = store.objects()
                        .insert(
                                warehouse,
                                ns,
                                id.name(),
                                ObjectKind.TABLE,
                                UUID.randomUUID().toString(),
                                s.newLocation,
                                s.updated.location());
                if (result == InsertResult.NO_NAMESPACE) {
                    throw new RequirementFailed(
                            new NoSuchNamespaceException("Namespace does not exist: %s", id.namespace()));
                }
                if (result == InsertResult.ALREADY_EXISTS) {
                    throw new RequirementFailed(
                            new CommitFailedException("Requirement failed: table already exists: %s", id));
                }
            } else if (!store.objects()
                    .compareAndSwap(
                            warehouse,
                            ns,
                            id.name(),
                            ObjectKind.TABLE,
                            s.expected.objectId(),
                            s.expected.version(),
                            s.newLocation,
                            s.base.metadataFileLocation(),
                            s.updated.location())) {
                throw new CommitFailedException("Cannot commit transaction: %s was changed by another commit", id);
            }
        }
    }

    private static TableMetadata.Builder emptyBuilder(UpdateTableRequest change) {
        return change.updates().stream()
                .filter(u -> u instanceof MetadataUpdate.UpgradeFormatVersion)
                .map(u -> TableMetadata.buildFromEmpty(((MetadataUpdate.UpgradeFormatVersion) u).formatVersion()))
                .findFirst()
                .orElseGet(TableMetadata::buildFromEmpty);
    }

    private void deleteQuietly(String location) {
        if (location == null) {
            return;
        }
        try {
            io.deleteFile(location);
        } catch (RuntimeException e) {
            LOG.warn("Cannot delete uncommitted metadata file after a failed transaction: {}", e.toString());
        }
    }

    /** A table change ready to be compare-and-swapped. */
    private static final class Staged {
        final FloeTableOperations ops;
        final TableMetadata base;
        final TableMetadata updated;
        final ObjectPointer expected;
        String newLocation;

        Staged(FloeTableOperations ops, TableMetadata base, TableMetadata updated, ObjectPointer expected) {
            this.ops = ops;
            this.base = base;
            this.updated = updated;
            this.expected = expected;
        }
    }

    /** Carries a failure that retrying cannot fix past Iceberg's retry loop. */
    private static final class RequirementFailed extends RuntimeException {
        final RuntimeException cause;

        RequirementFailed(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    // ---- helpers ----

    static List<String> levels(Namespace namespace) {
        return List.of(namespace.levels());
    }

    private static Namespace parent(Namespace namespace) {
        String[] levels = namespace.levels();
        String[] parent = new String[levels.length - 1];
        System.arraycopy(levels, 0, parent, 0, parent.length);
        return Namespace.of(parent);
    }

    private static void checkArgument(boolean ok, String message, Object... args) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(message.replace("%s", "%s"), args));
        }
    }

    private static String stripTrailingSlash(String location) {
        String s = location;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        super.close();
        if (closeables != null) {
            closeables.close();
        }
    }

    @Override
    public String toString() {
        return "FloeCatalog[" + catalogName + " warehouse=" + warehouse + "]";
    }
}
