package dev.floe.catalog.rest;

import dev.floe.catalog.catalog.FloeCatalog;
import dev.floe.catalog.catalog.LocalFileIO;
import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.rest.VendedCredentialResponses.Delegation;
import dev.floe.catalog.store.CurrentPointer;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.ObjectKind;
import dev.floe.catalog.vending.VendedCredential;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.ReportMetricsRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ListTablesResponse;
import org.apache.iceberg.rest.responses.LoadTableResponse;

/**
 * A table's operations end to end, between {@link TableController}'s HTTP mapping and the
 * warehouse's {@link FloeCatalog}: the load cache and its gzip copies, entity tags, where a load
 * runs (the request's event loop or the blocking pool: decided here and nowhere else), the load
 * metrics, idempotency of every mutation ({@link Mutations}) and the vended credentials (or
 * remote-signing settings) added to a response on its way out.
 */
@Singleton
public class TableService {

    /** What a load depends on besides the table: snapshot mode, and the caller's headers. */
    public record Load(
            TableIdentifier ident,
            SnapshotMode mode,
            @Nullable String ifNoneMatch,
            boolean gzip,
            Delegation delegation) {}

    private final Warehouses warehouses;
    private final MetricsReports metricsReports;
    private final EndpointAccess access;
    private final Mutations mutations;
    private final LoadTableCache loadCache;
    private final LoadTableMetrics loadMetrics;
    private final ExecutorService blocking;
    private final VendedCredentialResponses vended;

    public TableService(
            Warehouses warehouses,
            MetricsReports metricsReports,
            EndpointAccess access,
            Mutations mutations,
            LoadTableCache loadCache,
            LoadTableMetrics loadMetrics,
            @Named(TaskExecutors.BLOCKING) ExecutorService blocking,
            VendedCredentialResponses vended) {
        this.warehouses = warehouses;
        this.metricsReports = metricsReports;
        this.access = access;
        this.mutations = mutations;
        this.loadCache = loadCache;
        this.loadMetrics = loadMetrics;
        this.blocking = blocking;
        this.vended = vended;
    }

    public MutableHttpResponse<String> list(
            @Nullable String prefix, Namespace ns, @Nullable String pageToken, @Nullable String pageSize) {
        Pages<TableIdentifier> page =
                Pages.of(warehouses.catalog(prefix).listTables(ns), TableIdentifier::name, pageToken, pageSize);
        return Responses.json(ListTablesResponse.builder()
                .addAll(page.items())
                .nextPageToken(page.nextPageToken())
                .build());
    }

    /** Creates (or stage-creates) a table, idempotently; a staged create writes no table, so a retry has nothing to reload. */
    public MutableHttpResponse<String> create(
            HttpRequest<?> request, @Nullable String prefix, Namespace ns, String body, Delegation delegation) {
        CreateTableRequest create = IcebergJson.read(body, CreateTableRequest.class);
        return addToNamespace(
                request,
                prefix,
                Identifiers.table(ns, create.name()),
                body,
                delegation,
                catalog -> create.stageCreate()
                        ? CatalogHandlers.stageTableCreate(catalog, ns, create)
                        : CatalogHandlers.createTable(catalog, ns, create),
                !create.stageCreate());
    }

    public MutableHttpResponse<String> register(
            HttpRequest<?> request, @Nullable String prefix, Namespace ns, String body, Delegation delegation) {
        RegisterTableRequest register = IcebergJson.read(body, RegisterTableRequest.class);
        return addToNamespace(
                request,
                prefix,
                Identifiers.table(ns, register.name()),
                body,
                delegation,
                catalog -> CatalogHandlers.registerTable(catalog, ns, register),
                true);
    }

    /**
     * A create or register of table {@code ident}, idempotently, in a namespace that must exist;
     * when the response is too large to keep for a retry, the retry reloads the table if {@code
     * reloadable} (it wrote one).
     */
    private MutableHttpResponse<String> addToNamespace(
            HttpRequest<?> request,
            @Nullable String prefix,
            TableIdentifier ident,
            String body,
            Delegation delegation,
            Function<FloeCatalog, LoadTableResponse> add,
            boolean reloadable) {
        String warehouse = warehouses.resolve(prefix);
        FloeCatalog catalog = warehouses.catalog(warehouse);
        MutableHttpResponse<String> response = mutations.run(
                request,
                warehouse,
                body,
                () -> {
                    catalog.requireNamespace(ident.namespace());
                    return Responses.json(add.apply(catalog));
                },
                reloadable ? () -> Responses.json(CatalogHandlers.loadTable(catalog, ident, SnapshotMode.ALL)) : null);
        return withCredentials(request, prefix, ident, delegation, response);
    }

    /**
     * A successful create or register response with the caller's vended credentials (or the
     * remote-signing settings) added, when asked for. Added after {@link Mutations#run}, so an idempotency record never holds them; a
     * replayed response gets credentials of its own.
     */
    private MutableHttpResponse<String> withCredentials(
            HttpRequest<?> request,
            @Nullable String prefix,
            TableIdentifier ident,
            Delegation delegation,
            MutableHttpResponse<String> response) {
        if (delegation == Delegation.NONE
                || response.status() != HttpStatus.OK
                || response.getBody().isEmpty()) {
            return response;
        }
        byte[] body = response.getBody().get().getBytes(StandardCharsets.UTF_8);
        String location = IcebergJson.read(response.getBody().get(), LoadTableResponse.class)
                .tableMetadata()
                .location();
        if (delegation == Delegation.REMOTE_SIGNING) {
            return Responses.rawJson(
                    new String(vended.withSigning(body, prefix, ident, location), StandardCharsets.UTF_8));
        }
        return vended.credentials(request, location)
                .map(c -> Responses.rawJson(
                        new String(vended.withCredentials(body, prefix, ident, c), StandardCharsets.UTF_8)))
                .orElse(response);
    }

    /**
     * Loads a table. This runs on the thread the request is on ({@link RequestThread}): its event
     * loop, unless the authentication needed I/O and moved it to a blocking worker. On the event
     * loop, a table whose pointer the store can read at once (embedded SQLite, no lock to wait for,
     * data key cached), whose metadata file is local, and whose response is already serialized is
     * answered here with no thread hand-off. The pointer is read from the database on every load,
     * never cached, so a commit by any process is seen at once; it is read once per load: what the
     * event loop read is handed to the blocking pool, which does everything else (inline when the
     * request is on a blocking worker already).
     */
    public CompletableFuture<MutableHttpResponse<?>> load(HttpRequest<?> request, @Nullable String prefix, Load load) {
        String warehouse = warehouses.resolve(prefix);
        FloeCatalog catalog = warehouses.catalog(warehouse);
        String pointer = null;
        if (onEventLoop(request)) {
            pointer = currentLocalMetadataLocationWithoutWaiting(warehouse, catalog, load.ident())
                    .orElse(null);
            LoadTableCache.Entry cached = pointer == null
                    ? null
                    : loadCache.getIfPresent(new LoadTableCache.Key(warehouse, pointer, load.mode()));
            Optional<MutableHttpResponse<?>> atOnce =
                    cached == null ? Optional.empty() : answerWithoutWaiting(request, prefix, load, cached);
            if (atOnce.isPresent()) {
                loadMetrics.servedOnEventLoop();
                return CompletableFuture.completedFuture(atOnce.get());
            }
        }
        String known = pointer;
        CompletableFuture<MutableHttpResponse<?>> response = new CompletableFuture<>();
        blocking.execute(PropagatedContext.getOrEmpty().wrap(() -> {
            try {
                LoadTableCache.Entry entry = loadBlocking(catalog, warehouse, load, known);
                if (load.delegation() == Delegation.REMOTE_SIGNING) {
                    response.complete(loadedWithSigning(entry, prefix, load.ident()));
                    return;
                }
                Optional<VendedCredential> credential = load.delegation() == Delegation.VENDED_CREDENTIALS
                        ? vended.credentials(request, entry.tableLocation())
                        : Optional.empty();
                response.complete(
                        credential.isPresent()
                                ? loadedWithCredentials(entry, prefix, load.ident(), credential.get())
                                : loaded(entry, load.ifNoneMatch(), load.gzip()));
            } catch (RuntimeException | Error e) {
                response.completeExceptionally(e);
            }
        }));
        return response;
    }

    /**
     * The cached response when it can be sent without waiting: a gzip copy not made yet is made on
     * the blocking pool (a large metadata file can take milliseconds to compress, too long to hold
     * an event loop), and with vending only when the caller's credentials are cached (an STS call
     * blocks); the remote-signing settings need no I/O.
     */
    private Optional<MutableHttpResponse<?>> answerWithoutWaiting(
            HttpRequest<?> request, @Nullable String prefix, Load load, LoadTableCache.Entry cached) {
        if (load.delegation() == Delegation.REMOTE_SIGNING) {
            return Optional.of(loadedWithSigning(cached, prefix, load.ident()));
        }
        if (load.delegation() == Delegation.NONE) {
            boolean ready = !load.gzip() || !cached.compressible() || cached.hasGzipBody();
            return ready ? Optional.of(loaded(cached, load.ifNoneMatch(), load.gzip())) : Optional.empty();
        }
        return vended.cachedCredentials(request, cached.tableLocation())
                .map(credential -> loadedWithCredentials(cached, prefix, load.ident(), credential));
    }

    /** Whether the calling thread is the request's Netty event loop (not a blocking worker). */
    private static boolean onEventLoop(HttpRequest<?> request) {
        return request instanceof NettyHttpRequest<?> netty
                && netty.getChannelHandlerContext().executor().inEventLoop();
    }

    /**
     * The load on a thread that may block. The pointer is {@code known} when the event loop read it
     * already, else one indexed read; then bytes serialized earlier for that very file, or, for a
     * location not seen before, that metadata file read and its response serialized and cached.
     * Without a pointer (no such table, or its metadata file is missing) Iceberg's full load answers
     * with the right error.
     */
    private LoadTableCache.Entry loadBlocking(
            FloeCatalog catalog, String warehouse, Load load, @Nullable String known) {
        loadMetrics.servedOnBlockingThread();
        Optional<String> current = known != null ? Optional.of(known) : currentMetadataLocation(catalog, load.ident());
        if (current.isEmpty()) {
            return cache(warehouse, CatalogHandlers.loadTable(catalog, load.ident(), load.mode()), load.mode());
        }
        LoadTableCache.Entry cached =
                loadCache.getIfPresent(new LoadTableCache.Key(warehouse, current.get(), load.mode()));
        return cached != null
                ? cached
                : cache(warehouse, loadResponse(catalog.tableMetadata(current.get()), load.mode()), load.mode());
    }

    /**
     * What {@link CatalogHandlers#loadTable(org.apache.iceberg.catalog.Catalog, TableIdentifier, SnapshotMode)}
     * answers for this metadata, built here because the pointer is already read: refs-only leaves
     * out the snapshots no branch or tag points at.
     */
    private static LoadTableResponse loadResponse(TableMetadata metadata, SnapshotMode mode) {
        TableMetadata shown = mode == SnapshotMode.REFS
                ? TableMetadata.buildFrom(metadata)
                        .withMetadataLocation(metadata.metadataFileLocation())
                        .suppressHistoricalSnapshots()
                        .build()
                : metadata;
        return LoadTableResponse.builder().withTableMetadata(shown).build();
    }

    private LoadTableCache.Entry cache(String warehouse, LoadTableResponse response, SnapshotMode mode) {
        return loadCache.get(
                new LoadTableCache.Key(warehouse, response.metadataLocation(), mode),
                response.tableMetadata().location(),
                () -> IcebergJson.write(response));
    }

    /**
     * One indexed row read of the pointer (its sealed column opened), and an existence check of the
     * metadata file (a stat on local storage, a HEAD on object stores): a table whose current
     * metadata file vanished must answer 404 as a full load would (the REST Compatibility Kit's
     * testLoadTableWithMissingMetadataFile), not a cached response.
     */
    private static Optional<String> currentMetadataLocation(FloeCatalog catalog, TableIdentifier ident) {
        return catalog.currentMetadataLocation(ident)
                .filter(location -> catalog.io().newInputFile(location).exists());
    }

    /**
     * The same from the store's no-wait read ({@link MetadataStore#findPointerWithoutWaiting}), for
     * metadata on the local file system only: its existence check is a stat, where an object store's
     * is a network round trip.
     */
    private Optional<String> currentLocalMetadataLocationWithoutWaiting(
            String warehouse, FloeCatalog catalog, TableIdentifier ident) {
        return warehouses
                .store()
                .findPointerWithoutWaiting(
                        warehouse, List.of(ident.namespace().levels()), ident.name(), ObjectKind.TABLE)
                .map(CurrentPointer::metadataLocation)
                .filter(LocalFileIO::isLocal)
                .filter(location -> catalog.io().newInputFile(location).exists());
    }

    /**
     * The cached response with the caller's credentials added: no entity tag (the body differs per
     * credential, and a 304 would leave a client with credentials about to expire), no gzip copy.
     */
    private MutableHttpResponse<?> loadedWithCredentials(
            LoadTableCache.Entry entry, @Nullable String prefix, TableIdentifier ident, VendedCredential credential) {
        return HttpResponse.ok(vended.withCredentials(entry.body(), prefix, ident, credential))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** The cached response with the remote-signing settings added: no entity tag, no gzip copy (as with credentials). */
    private MutableHttpResponse<?> loadedWithSigning(
            LoadTableCache.Entry entry, @Nullable String prefix, TableIdentifier ident) {
        return HttpResponse.ok(vended.withSigning(entry.body(), prefix, ident, entry.tableLocation()))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /**
     * The cached response: 304 for a matching {@code If-None-Match}, else the body, gzip-compressed
     * from the cache when the caller accepts gzip (a response that already carries
     * {@code Content-Encoding} is not compressed again by Micronaut).
     */
    private static MutableHttpResponse<?> loaded(
            LoadTableCache.Entry entry, @Nullable String ifNoneMatch, boolean gzip) {
        if (LoadTableCache.matches(ifNoneMatch, entry.etag())) {
            return HttpResponse.<String>status(HttpStatus.NOT_MODIFIED).header(HttpHeaders.ETAG, entry.etag());
        }
        if (!entry.compressible()) {
            return HttpResponse.ok(entry.body())
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.ETAG, entry.etag());
        }
        MutableHttpResponse<byte[]> response = gzip
                ? HttpResponse.ok(entry.gzipBody()).header(HttpHeaders.CONTENT_ENCODING, "gzip")
                : HttpResponse.ok(entry.body());
        return response.contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, entry.etag())
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    }

    public MutableHttpResponse<String> exists(@Nullable String prefix, TableIdentifier ident) {
        CatalogHandlers.tableExists(warehouses.catalog(prefix), ident);
        return Responses.noContent();
    }

    /**
     * Commits a change to one table, idempotently; the response is serialized once into the load
     * cache, so the loads that follow a commit are answered from it.
     */
    public MutableHttpResponse<String> commit(
            HttpRequest<?> request, @Nullable String prefix, TableIdentifier ident, String body) {
        String warehouse = warehouses.resolve(prefix);
        FloeCatalog catalog = warehouses.catalog(warehouse);
        UpdateTableRequest update = IcebergJson.read(body, UpdateTableRequest.class);
        return mutations.run(
                request,
                warehouse,
                body,
                () -> committed(
                        cache(warehouse, CatalogHandlers.updateTable(catalog, ident, update), SnapshotMode.ALL)),
                () -> committed(cache(
                        warehouse, CatalogHandlers.loadTable(catalog, ident, SnapshotMode.ALL), SnapshotMode.ALL)));
    }

    private static MutableHttpResponse<String> committed(LoadTableCache.Entry entry) {
        return Responses.rawJson(entry.json()).header(HttpHeaders.ETAG, entry.etag());
    }

    public MutableHttpResponse<String> drop(
            HttpRequest<?> request, @Nullable String prefix, TableIdentifier ident, boolean purge) {
        String warehouse = warehouses.resolve(prefix);
        FloeCatalog catalog = warehouses.catalog(warehouse);
        return mutations.run(request, warehouse, null, () -> {
            if (purge) {
                CatalogHandlers.purgeTable(catalog, ident);
            } else {
                CatalogHandlers.dropTable(catalog, ident);
            }
            return Responses.noContent();
        });
    }

    /** Renames a table; both identifiers come from the body, so the caller's scope is checked for both here. */
    public MutableHttpResponse<String> rename(HttpRequest<?> request, @Nullable String prefix, String body) {
        String warehouse = warehouses.resolve(prefix);
        FloeCatalog catalog = warehouses.catalog(warehouse);
        RenameTableRequest rename = IcebergJson.read(body, RenameTableRequest.class);
        Identifiers.validate(rename.source());
        Identifiers.validate(rename.destination());
        access.checkBody(request, warehouse, rename);
        return mutations.run(request, warehouse, body, () -> {
            CatalogHandlers.renameTable(catalog, rename);
            return Responses.noContent();
        });
    }

    /**
     * The caller's storage credentials for a table: its location decides their scope; without
     * vending (or for a table not on S3) the list is empty and engines use their own.
     */
    public MutableHttpResponse<String> credentials(
            HttpRequest<?> request, @Nullable String prefix, TableIdentifier ident) {
        String location = warehouses.catalog(prefix).loadTable(ident).location();
        return Responses.json(vended.credentialsResponse(request, location));
    }

    /**
     * The table's location, for a check on every sign request: its pointer read from the store (one
     * indexed row), the location from the load cache, or else from that metadata file.
     */
    public String location(@Nullable String prefix, TableIdentifier ident) {
        String warehouse = warehouses.resolve(prefix);
        FloeCatalog catalog = warehouses.catalog(warehouse);
        String pointer = catalog.currentMetadataLocation(ident)
                .orElseThrow(() -> new NoSuchTableException("Table does not exist: %s", ident));
        for (SnapshotMode mode : SnapshotMode.values()) {
            LoadTableCache.Entry cached = loadCache.getIfPresent(new LoadTableCache.Key(warehouse, pointer, mode));
            if (cached != null && cached.tableLocation() != null) {
                return cached.tableLocation();
            }
        }
        return catalog.tableMetadata(pointer).location();
    }

    public MutableHttpResponse<String> reportMetrics(
            @Nullable String prefix, TableIdentifier ident, ReportMetricsRequest report) {
        metricsReports.record(warehouses.resolve(prefix), ident, report);
        return Responses.noContent();
    }
}
