package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.NamespaceRecord;
import dev.floe.catalog.store.ObjectKind;
import dev.floe.catalog.store.ObjectLocation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one warehouse's {@link LocationPolicy} to everything that names a location: a table's or
 * view's location, its {@code write.*.path} properties, statistics files and snapshot manifest
 * lists, a registered metadata file, and a namespace's {@code location} property. Beyond the policy
 * it knows the other objects of the warehouse (from the store), so it also refuses overlaps: no
 * table or view location may equal, contain or lie inside another's, nor a namespace's other than
 * the ones it lives in.
 *
 * <p>Refusals follow Apache Polaris: 403 {@link ForbiddenException} for a location in a place the
 * caller may not use (outside the warehouse, outside the namespace, over another object), 400
 * {@link BadRequestException} for a malformed location and for a metadata file outside its own
 * table. Messages repeat only the caller's own input, never another object's name or location.
 *
 * <p>A namespace's location is its {@code location} property, else its parent's location plus its
 * own name (the warehouse root for a top-level namespace's parent).
 */
final class LocationConfinement {

    private static final Logger LOG = LoggerFactory.getLogger(LocationConfinement.class);
    static final String NAMESPACE_LOCATION = "location";

    private final MetadataStore store;
    private final String warehouse;
    private final String rootLocation;
    private final LocationPolicy policy;
    private final FileIO io;

    /**
     * @param rootLocation the warehouse location as configured (its spelling is kept in new locations)
     * @param io           reads the metadata files of rows that predate recorded locations
     */
    LocationConfinement(MetadataStore store, String warehouse, String rootLocation, LocationPolicy policy, FileIO io) {
        this.store = store;
        this.warehouse = warehouse;
        this.rootLocation = stripTrailingSlash(rootLocation);
        this.policy = policy;
        this.io = io;
    }

    LocationPolicy policy() {
        return policy;
    }

    /**
     * Runs {@code work} (its checks, then the store writes that record a location) in one store
     * transaction holding the warehouse's location lock, so no other replica can record an
     * overlapping location between this one's check and its write. The checks must be made again
     * inside {@code work}: a check made before the lock may be out of date.
     */
    <T> T claiming(String operation, Supplier<T> work) {
        return store.withLocationsLocked(warehouse, operation, work);
    }

    /**
     * Commits a create, register or move of a table or view: {@code check} runs before its metadata
     * file is written by {@code write} (nothing lands in a refused place), then again with {@code
     * record} under the store's location lock ({@link #claiming}), since another replica may have
     * claimed an overlapping location in between. One at a time per warehouse in this process, so
     * threads wait here rather than each holding a connection while they wait for the store's lock.
     * A file written for a commit refused after all is garbage and deleted; a registered one ({@code
     * givenFile}) is not ours.
     */
    synchronized void commitClaiming(
            String operation, Runnable check, Supplier<String> write, Consumer<String> record, String givenFile) {
        check.run();
        String newLocation = write.get();
        try {
            claiming(operation, () -> {
                check.run();
                record.accept(newLocation);
                return null;
            });
        } catch (ForbiddenException | BadRequestException e) {
            if (!newLocation.equals(givenFile)) {
                deleteQuietly(newLocation);
            }
            throw e;
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

    // ---- namespaces ----

    /** The location of a namespace (the root for the empty one), reading only its ancestors. */
    StorageLocation namespaceLocation(List<String> levels) {
        return StorageLocation.parse(namespaceLocationString(levels));
    }

    /**
     * The same in the spelling new table and view locations are built from: the configured root's
     * or the {@code location} property's own (so {@code file:///} stays {@code file:///}).
     */
    String namespaceLocationString(List<String> levels) {
        return namespaceLocationString(
                levels,
                ns -> store.namespaces()
                        .find(warehouse, ns)
                        .map(NamespaceRecord::properties)
                        .orElse(Map.of()));
    }

    private String namespaceLocationString(List<String> levels, Function<List<String>, Map<String, String>> props) {
        String location = rootLocation;
        for (int i = 1; i <= levels.size(); i++) {
            List<String> ns = levels.subList(0, i);
            String own = props.apply(ns).get(NAMESPACE_LOCATION);
            if (own != null && !own.isBlank()) {
                try {
                    StorageLocation.parse(own);
                    location = stripTrailingSlash(own);
                    continue;
                } catch (BadRequestException e) {
                    // a property stored before locations were checked: fall back to the default
                    LOG.warn("Namespace {} has an invalid location property; using the default", String.join(".", ns));
                }
            }
            location = location + "/" + levels.get(i - 1);
        }
        return location;
    }

    private StorageLocation namespaceLocation(List<String> levels, Function<List<String>, Map<String, String>> props) {
        return StorageLocation.parse(namespaceLocationString(levels, props));
    }

    /** As above, or null when a namespace's name makes no clean location (it then holds no table there). */
    private StorageLocation namespaceLocationOrNull(
            List<String> levels, Function<List<String>, Map<String, String>> props) {
        try {
            return namespaceLocation(levels, props);
        } catch (BadRequestException e) {
            return null;
        }
    }

    private static String stripTrailingSlash(String location) {
        String s = location;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /**
     * Checks the location a namespace will have after a create or a properties change: its own
     * {@code location} property when set (inside the warehouse, and inside its parent's location
     * unless placement is free), and in every case that it overlaps no other namespace except its
     * ancestors and descendants, and no table or view outside its own subtree.
     */
    void checkNamespace(List<String> levels, Map<String, String> newProperties) {
        String own = newProperties.get(NAMESPACE_LOCATION);
        Map<List<String>, Map<String, String>> all = allNamespaces();
        all.put(List.copyOf(levels), newProperties);
        StorageLocation location;
        if (own != null && !own.isBlank()) {
            location = policy.inRoot(own, "namespace location");
            StorageLocation parent = namespaceLocation(levels.subList(0, levels.size() - 1), ns -> props(all, ns));
            if (policy.placement() == LocationPolicy.Placement.NAMESPACE && !parent.strictlyContains(location)) {
                throw new ForbiddenException(
                        "Invalid namespace location '%s': outside its parent namespace's location", own);
            }
        } else {
            location = namespaceLocationOrNull(levels, ns -> props(all, ns));
            if (location == null) {
                return; // a name that makes no clean location: no table can be placed under it by default
            }
        }
        for (List<String> other : all.keySet()) {
            if (isPrefix(other, levels) || isPrefix(levels, other)) {
                // an ancestor may hold it, and only an ancestor may: never the other way round
                StorageLocation ancestor = namespaceLocationOrNull(other, ns -> props(all, ns));
                if (!other.equals(levels)
                        && isPrefix(other, levels)
                        && ancestor != null
                        && location.contains(ancestor)) {
                    throw overlap("namespace", own != null ? own : location.toString());
                }
                continue;
            }
            StorageLocation theirs = namespaceLocationOrNull(other, ns -> props(all, ns));
            if (theirs != null && location.overlaps(theirs)) {
                throw overlap("namespace", own != null ? own : location.toString());
            }
        }
        for (ObjectLocation object : store.objects().locations(warehouse)) {
            if (isPrefix(levels, object.namespace())) {
                continue; // its own tables and views, wherever they were placed
            }
            StorageLocation theirs = locationOf(object);
            if (theirs != null && location.overlaps(theirs)) {
                throw overlap("namespace", own != null ? own : location.toString());
            }
        }
    }

    private Map<List<String>, Map<String, String>> allNamespaces() {
        Map<List<String>, Map<String, String>> all = new HashMap<>();
        for (NamespaceRecord record : store.namespaces().all(warehouse)) {
            all.put(record.levels(), record.properties());
        }
        return all;
    }

    private static Map<String, String> props(Map<List<String>, Map<String, String>> all, List<String> ns) {
        return all.getOrDefault(ns, Map.of());
    }

    // ---- tables and views ----

    /**
     * Checks a table's new metadata against the metadata it replaces ({@code base} null for a new
     * or registered table): what changed must lie where this table may write.
     */
    void checkTable(TableIdentifier id, TableMetadata base, TableMetadata updated) {
        boolean moved = base == null || !Objects.equals(base.location(), updated.location());
        StorageLocation location = moved
                ? checkObjectLocation(id, updated.location(), "table")
                : StorageLocation.parse(updated.location());
        checkWritePaths(location, base == null ? Map.of() : base.properties(), updated.properties(), "table");
        for (StatisticsFile file : updated.statisticsFiles()) {
            if (base == null
                    || base.statisticsFiles().stream().noneMatch(f -> f.path().equals(file.path()))) {
                requireInside(location, file.path(), "statistics path", "table");
            }
        }
        for (PartitionStatisticsFile file : updated.partitionStatisticsFiles()) {
            if (base == null
                    || base.partitionStatisticsFiles().stream()
                            .noneMatch(f -> f.path().equals(file.path()))) {
                requireInside(location, file.path(), "partition statistics path", "table");
            }
        }
        for (Snapshot snapshot : updated.snapshots()) {
            if (base == null || base.snapshot(snapshot.snapshotId()) == null) {
                checkManifestLocations(location, snapshot);
            }
        }
        if (base == null && updated.metadataFileLocation() != null) {
            // a registered table: its metadata file must be its own (Polaris answers 400 here too)
            StorageLocation file = policy.inRoot(updated.metadataFileLocation(), "metadata location");
            if (!location.strictlyContains(file)) {
                throw new BadRequestException(
                        "Invalid metadata location '%s': not inside the table's location '%s'",
                        updated.metadataFileLocation(), updated.location());
            }
        }
    }

    /**
     * A new snapshot's manifest list (or, in a format-1 snapshot without one, its manifests) must
     * lie inside the table's own location: scans read it and a purge deletes what it lists, so a
     * path into another table would let this table read or delete that table's files. Iceberg
     * writes manifest lists under the metadata directory, which lies inside the table's location.
     */
    private void checkManifestLocations(StorageLocation location, Snapshot snapshot) {
        if (snapshot.manifestListLocation() != null) {
            requireInside(location, snapshot.manifestListLocation(), "manifest list", "table");
            return;
        }
        // format 1: the metadata names the manifests themselves; listing them reads no file
        for (ManifestFile manifest : snapshot.allManifests(io)) {
            requireInside(location, manifest.path(), "manifest", "table");
        }
    }

    /** Checks a view's new metadata as {@link #checkTable} does a table's. */
    void checkView(TableIdentifier id, ViewMetadata base, ViewMetadata updated) {
        boolean moved = base == null || !Objects.equals(base.location(), updated.location());
        StorageLocation location =
                moved ? checkObjectLocation(id, updated.location(), "view") : StorageLocation.parse(updated.location());
        checkWritePaths(location, base == null ? Map.of() : base.properties(), updated.properties(), "view");
        if (base == null && updated.metadataFileLocation() != null) {
            StorageLocation file = policy.inRoot(updated.metadataFileLocation(), "metadata location");
            if (!location.strictlyContains(file)) {
                throw new BadRequestException(
                        "Invalid metadata location '%s': not inside the view's location '%s'",
                        updated.metadataFileLocation(), updated.location());
            }
        }
    }

    /**
     * Checks a metadata file a caller asks to register, before it is read: it must lie under the
     * target namespace's location, which is inside the caller's scope (the path names that
     * namespace and was authorised), so no one reads another namespace's files through register.
     */
    void checkRegistration(TableIdentifier id, String metadataLocation) {
        StorageLocation file = policy.inRoot(metadataLocation, "metadata location");
        if (!namespaceLocation(List.of(id.namespace().levels())).strictlyContains(file)) {
            throw new ForbiddenException(
                    "Invalid metadata location '%s': outside the namespace's location", metadataLocation);
        }
    }

    private StorageLocation checkObjectLocation(TableIdentifier id, String value, String kind) {
        StorageLocation location = policy.inRoot(value, kind + " location");
        List<String> namespace = List.of(id.namespace().levels());
        Map<List<String>, Map<String, String>> all = allNamespaces();
        if (policy.placement() == LocationPolicy.Placement.NAMESPACE
                && !namespaceLocation(namespace, ns -> props(all, ns)).strictlyContains(location)) {
            throw new ForbiddenException("Invalid %s location '%s': outside its namespace's location", kind, value);
        }
        for (List<String> ns : all.keySet()) {
            StorageLocation theirs = namespaceLocationOrNull(ns, n -> props(all, n));
            boolean holdsIt = isPrefix(ns, namespace);
            // a namespace it lives in may contain it (strictly); any other may not touch it
            if (theirs != null && (holdsIt ? location.contains(theirs) : location.overlaps(theirs))) {
                throw overlap(kind, value);
            }
        }
        for (ObjectLocation object : store.objects().locations(warehouse)) {
            if (object.namespace().equals(namespace) && object.name().equals(id.name())) {
                continue; // itself, being moved
            }
            StorageLocation theirs = locationOf(object);
            if (theirs != null && location.overlaps(theirs)) {
                throw overlap(kind, value);
            }
        }
        return location;
    }

    /**
     * Whether a location (well-formed) overlaps a table or view already recorded: a default
     * location that is taken is replaced by a unique one rather than refused.
     */
    boolean isTaken(String location) {
        StorageLocation candidate;
        try {
            candidate = StorageLocation.parse(location);
        } catch (BadRequestException e) {
            return false; // refused with its reason when the table is committed
        }
        for (ObjectLocation object : store.objects().locations(warehouse)) {
            StorageLocation theirs = locationOf(object);
            if (theirs != null && candidate.overlaps(theirs)) {
                return true;
            }
        }
        return false;
    }

    /** Every {@code write.*.path} property that is new or changed must lie inside the object's location. */
    private void checkWritePaths(
            StorageLocation location, Map<String, String> before, Map<String, String> after, String kind) {
        for (Map.Entry<String, String> property : after.entrySet()) {
            String key = property.getKey();
            if (key.startsWith("write.")
                    && key.endsWith(".path")
                    && !Objects.equals(before.get(key), property.getValue())) {
                requireInside(location, property.getValue(), "property " + key, kind);
            }
        }
    }

    private void requireInside(StorageLocation location, String value, String what, String kind) {
        StorageLocation parsed = policy.inRoot(value, what);
        if (!location.contains(parsed)) {
            throw new ForbiddenException("Invalid %s '%s': outside the %s's location", what, value, kind);
        }
    }

    /** An object's location: recorded in the store, or read from its metadata file on older rows. */
    private StorageLocation locationOf(ObjectLocation object) {
        String location = object.location();
        try {
            if (location == null) {
                location = object.kind() == ObjectKind.TABLE
                        ? TableMetadataParser.read(io, object.metadataLocation())
                                .location()
                        : ViewMetadataParser.read(io.newInputFile(object.metadataLocation()))
                                .location();
            }
            return StorageLocation.parse(location);
        } catch (RuntimeException e) {
            // an unreadable or malformed old row cannot be compared; say so without its location
            LOG.warn(
                    "Cannot determine the location of {} for an overlap check: {}",
                    object,
                    e.getClass().getSimpleName());
            return null;
        }
    }

    private static ForbiddenException overlap(String kind, String value) {
        // deliberately vague: naming the other object would disclose what the caller may not see
        return new ForbiddenException(
                "Invalid %s location '%s': it overlaps the location of another table, view or namespace", kind, value);
    }

    private static boolean isPrefix(List<String> prefix, List<String> levels) {
        return levels.size() >= prefix.size()
                && levels.subList(0, prefix.size()).equals(prefix);
    }
}
