package dev.floe.catalog.rest;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Head;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import dev.floe.catalog.vending.VendedCredential;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
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
 * Tables: list, create (and stage-create), register, load (with ETag / If-None-Match), exists,
 * commit, drop (with purge), rename, metrics reports and storage credentials.
 */
@Controller("/v1")
public class TableController {

    private final WarehouseCatalogs warehouses;
    private final EndpointAccess access;
    private final Mutations mutations;
    private final LoadTableCache loadCache;
    private final MetricsReports metricsReports;
    private final LoadTableMetrics loadMetrics;
    private final ExecutorService blocking;
    private final VendedCredentialResponses vended;

    public TableController(WarehouseCatalogs warehouses, EndpointAccess access, Mutations mutations,
            LoadTableCache loadCache, MetricsReports metricsReports, LoadTableMetrics loadMetrics,
            @Named(TaskExecutors.BLOCKING) ExecutorService blocking, VendedCredentialResponses vended) {
        this.vended = vended;
        this.warehouses = warehouses;
        this.access = access;
        this.mutations = mutations;
        this.loadCache = loadCache;
        this.metricsReports = metricsReports;
        this.loadMetrics = loadMetrics;
        this.blocking = blocking;
    }

    private CatalogBackend backend(String prefix) {
        return warehouses.backend(warehouses.resolve(prefix));
    }

    @Get(uris = {"/namespaces/{namespace}/tables", "/{prefix}/namespaces/{namespace}/tables"})
    public MutableHttpResponse<String> list(HttpRequest<?> request, @Nullable @PathVariable String prefix,
            @PathVariable String namespace, @Nullable @QueryValue String pageToken,
            @Nullable @QueryValue String pageSize) {
        Catalog catalog = backend(prefix).tables();
        Namespace ns = Identifiers.namespace(namespace);
        Pages<TableIdentifier> page = Pages.of(catalog.listTables(ns), TableIdentifier::name, pageToken, pageSize);
        return Responses.json(ListTablesResponse.builder().addAll(page.items())
                .nextPageToken(page.nextPageToken()).build());
    }

    @Post(uris = {"/namespaces/{namespace}/tables", "/{prefix}/namespaces/{namespace}/tables"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> create(HttpRequest<?> request, @Nullable @PathVariable String prefix,
            @PathVariable String namespace, @Body String body,
            @Nullable @Header(VendedCredentialResponses.HEADER) String delegation) {
        CatalogBackend backend = backend(prefix);
        Namespace ns = Identifiers.namespace(namespace);
        CreateTableRequest create = IcebergJson.read(body, CreateTableRequest.class);
        TableIdentifier ident = Identifiers.table(ns, create.name());
        boolean vend = vended.requested(delegation);
        // a staged create writes no table, so there is nothing to reload for a retry
        return withCredentials(request, prefix, ident, vend, mutations.run(request, warehouses.resolve(prefix), body, () -> {
            requireNamespace(backend, ns);
            LoadTableResponse response = create.stageCreate()
                    ? CatalogHandlers.stageTableCreate(backend.tables(), ns, create)
                    : CatalogHandlers.createTable(backend.tables(), ns, create);
            return Responses.json(response);
        }, create.stageCreate() ? null : () -> Responses.json(CatalogHandlers.loadTable(backend.tables(), ident, SnapshotMode.ALL))));
    }

    @Post(uris = {"/namespaces/{namespace}/register", "/{prefix}/namespaces/{namespace}/register"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> register(HttpRequest<?> request, @Nullable @PathVariable String prefix,
            @PathVariable String namespace, @Body String body,
            @Nullable @Header(VendedCredentialResponses.HEADER) String delegation) {
        CatalogBackend backend = backend(prefix);
        Namespace ns = Identifiers.namespace(namespace);
        RegisterTableRequest register = IcebergJson.read(body, RegisterTableRequest.class);
        TableIdentifier ident = Identifiers.table(ns, register.name());
        boolean vend = vended.requested(delegation);
        return withCredentials(request, prefix, ident, vend, mutations.run(request, warehouses.resolve(prefix), body, () -> {
            requireNamespace(backend, ns);
            return Responses.json(CatalogHandlers.registerTable(backend.tables(), ns, register));
        }, () -> Responses.json(CatalogHandlers.loadTable(backend.tables(), ident, SnapshotMode.ALL))));
    }

    /**
     * A successful create or register response with the caller's vended credentials added, when
     * asked for. Added after {@link Mutations#run}, so an idempotency record never holds them; a
     * replayed response gets credentials of its own.
     */
    private MutableHttpResponse<String> withCredentials(HttpRequest<?> request, @Nullable String prefix,
            TableIdentifier ident, boolean vend, MutableHttpResponse<String> response) {
        if (!vend || response.status() != HttpStatus.OK || response.getBody().isEmpty()) {
            return response;
        }
        byte[] body = response.getBody().get().getBytes(StandardCharsets.UTF_8);
        String location = IcebergJson.read(response.getBody().get(), LoadTableResponse.class).tableMetadata().location();
        return vended.credentials(request, location)
                .map(c -> Responses.rawJson(new String(vended.withCredentials(body, prefix, ident, c),
                        StandardCharsets.UTF_8)))
                .orElse(response);
    }

    @Get(uris = {"/namespaces/{namespace}/tables/{table}", "/{prefix}/namespaces/{namespace}/tables/{table}"}, headRoute = false)
    @ExecuteOn(RequestThread.EXECUTOR)
    public CompletableFuture<MutableHttpResponse<?>> load(HttpRequest<?> request, @Nullable @PathVariable String prefix,
            @PathVariable String namespace, @PathVariable String table, @Nullable @QueryValue String snapshots,
            @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @Nullable @Header(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding,
            @Nullable @Header(VendedCredentialResponses.HEADER) String delegation) {
        String warehouse = warehouses.resolve(prefix);
        boolean gzip = LoadTableCache.acceptsGzip(acceptEncoding);
        boolean vend = vended.requested(delegation);
        CatalogBackend backend = warehouses.backend(warehouse);
        TableIdentifier ident = Identifiers.table(Identifiers.namespace(namespace), table);
        SnapshotMode mode = snapshotMode(snapshots);

        // This runs on the thread the request is on (RequestThread): its event loop, unless the
        // authentication needed I/O and moved it to a blocking worker. On the event loop, a table
        // whose pointer the store can read at once (embedded SQLite, no lock to wait for, data key
        // cached) and whose metadata file is local, and whose response is already serialized, is
        // answered here with no thread hand-off. The pointer is read from the database every time,
        // never cached, so a commit by any process is seen at once. Everything else goes to the
        // blocking pool (run inline when the request is on a blocking worker already).
        if (onEventLoop(request)) {
            Optional<String> current = backend.currentMetadataLocationWithoutWaiting(ident);
            LoadTableCache.Entry cached = current.isEmpty() ? null
                    : loadCache.getIfPresent(new LoadTableCache.Key(warehouse, current.get(), mode));
            // a gzip copy not made yet is made on the blocking pool: a large metadata file can take
            // milliseconds to compress, too long to hold an event loop
            if (cached != null && !vend && (!gzip || !cached.compressible() || cached.hasGzipBody())) {
                loadMetrics.servedOnEventLoop();
                return CompletableFuture.completedFuture(loaded(cached, ifNoneMatch, gzip));
            }
            // with vending: only when the caller's credentials are cached (an STS call blocks)
            Optional<VendedCredential> credential = cached == null || !vend ? Optional.empty()
                    : vended.cachedCredentials(request, cached.tableLocation());
            if (credential.isPresent()) {
                loadMetrics.servedOnEventLoop();
                return CompletableFuture.completedFuture(loadedWithCredentials(cached, prefix, ident, credential.get()));
            }
        }
        CompletableFuture<MutableHttpResponse<?>> response = new CompletableFuture<>();
        blocking.execute(PropagatedContext.getOrEmpty().wrap(() -> {
            try {
                LoadTableCache.Entry entry = loadBlocking(backend, warehouse, ident, mode);
                Optional<VendedCredential> credential = vend
                        ? vended.credentials(request, entry.tableLocation()) : Optional.empty();
                response.complete(credential.isPresent()
                        ? loadedWithCredentials(entry, prefix, ident, credential.get())
                        : loaded(entry, ifNoneMatch, gzip));
            } catch (RuntimeException | Error e) {
                response.completeExceptionally(e);
            }
        }));
        return response;
    }

    /** Whether the calling thread is the request's Netty event loop (not a blocking worker). */
    private static boolean onEventLoop(HttpRequest<?> request) {
        return request instanceof NettyHttpRequest<?> netty && netty.getChannelHandlerContext().executor().inEventLoop();
    }

    /**
     * The load on a thread that may block: one indexed read of the pointer and an existence check
     * of its metadata file, then bytes serialized earlier for that very file; a full load (metadata
     * file read and parsed, response serialized and cached) only for a location not seen before.
     */
    private LoadTableCache.Entry loadBlocking(CatalogBackend backend, String warehouse, TableIdentifier ident,
            SnapshotMode mode) {
        loadMetrics.servedOnBlockingThread();
        Optional<String> current = backend.currentMetadataLocation(ident);
        if (current.isPresent()) {
            LoadTableCache.Entry cached = loadCache.getIfPresent(new LoadTableCache.Key(warehouse, current.get(), mode));
            if (cached != null) {
                return cached;
            }
        }
        LoadTableResponse response = CatalogHandlers.loadTable(backend.tables(), ident, mode);
        return loadCache.get(new LoadTableCache.Key(warehouse, response.metadataLocation(), mode),
                response.tableMetadata().location(), () -> IcebergJson.write(response));
    }

    /**
     * The cached response with the caller's credentials added: no entity tag (the body differs per
     * credential, and a 304 would leave a client with credentials about to expire), no gzip copy.
     */
    private MutableHttpResponse<?> loadedWithCredentials(LoadTableCache.Entry entry, @Nullable String prefix,
            TableIdentifier ident, VendedCredential credential) {
        return HttpResponse.ok(vended.withCredentials(entry.body(), prefix, ident, credential))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /**
     * The cached response: 304 for a matching {@code If-None-Match}, else the body, gzip-compressed
     * from the cache when the caller accepts gzip (a response that already carries
     * {@code Content-Encoding} is not compressed again by Micronaut).
     */
    private static MutableHttpResponse<?> loaded(LoadTableCache.Entry entry, String ifNoneMatch, boolean gzip) {
        if (LoadTableCache.matches(ifNoneMatch, entry.etag())) {
            return notModified(entry.etag());
        }
        if (!entry.compressible()) {
            return HttpResponse.ok(entry.body()).contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.ETAG, entry.etag());
        }
        MutableHttpResponse<byte[]> response = gzip
                ? HttpResponse.ok(entry.gzipBody()).header(HttpHeaders.CONTENT_ENCODING, "gzip")
                : HttpResponse.ok(entry.body());
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.ETAG, entry.etag())
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    }

    @Head(uris = {"/namespaces/{namespace}/tables/{table}", "/{prefix}/namespaces/{namespace}/tables/{table}"})
    public MutableHttpResponse<String> exists(HttpRequest<?> request, @Nullable @PathVariable String prefix,
            @PathVariable String namespace, @PathVariable String table) {
        Catalog catalog = backend(prefix).tables();
        CatalogHandlers.tableExists(catalog, Identifiers.table(Identifiers.namespace(namespace), table));
        return Responses.noContent();
    }

    @Post(uris = {"/namespaces/{namespace}/tables/{table}", "/{prefix}/namespaces/{namespace}/tables/{table}"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> commit(HttpRequest<?> request, @Nullable @PathVariable String prefix,
            @PathVariable String namespace, @PathVariable String table, @Body String body) {
        CatalogBackend backend = backend(prefix);
        TableIdentifier ident = Identifiers.table(Identifiers.namespace(namespace), table);
        UpdateTableRequest update = IcebergJson.read(body, UpdateTableRequest.class);
        String warehouse = warehouses.resolve(prefix);
        return mutations.run(request, warehouse, body,
                () -> cachedLoadResponse(warehouse, CatalogHandlers.updateTable(backend.tables(), ident, update)),
                () -> cachedLoadResponse(warehouse, CatalogHandlers.loadTable(backend.tables(), ident, SnapshotMode.ALL)));
    }

    /** The response for a table's current metadata (snapshots=all), serialized once for the next loads. */
    private MutableHttpResponse<String> cachedLoadResponse(String warehouse, LoadTableResponse response) {
        LoadTableCache.Entry entry = loadCache.get(
                new LoadTableCache.Key(warehouse, response.metadataLocation(), SnapshotMode.ALL),
                response.tableMetadata().location(), () -> IcebergJson.write(response));
        return Responses.rawJson(entry.json()).header(HttpHeaders.ETAG, entry.etag());
    }

    @Delete(uris = {"/namespaces/{namespace}/tables/{table}", "/{prefix}/namespaces/{namespace}/tables/{table}"})
    public MutableHttpResponse<String> drop(HttpRequest<?> request, @Nullable @PathVariable String prefix,
            @PathVariable String namespace, @PathVariable String table,
            @Nullable @QueryValue String purgeRequested) {
        Catalog catalog = backend(prefix).tables();
        TableIdentifier ident = Identifiers.table(Identifiers.namespace(namespace), table);
        boolean purge = bool(purgeRequested, "purgeRequested");
        return mutations.run(request, warehouses.resolve(prefix), null, () -> {
            if (purge) {
                CatalogHandlers.purgeTable(catalog, ident);
            } else {
                CatalogHandlers.dropTable(catalog, ident);
            }
            return Responses.noContent();
        });
    }

    @Post(uris = {"/tables/rename", "/{prefix}/tables/rename"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> rename(HttpRequest<?> request, @Nullable @PathVariable String prefix,
            @Body String body) {
        Catalog catalog = backend(prefix).tables();
        RenameTableRequest rename = IcebergJson.read(body, RenameTableRequest.class);
        Identifiers.validate(rename.source());
        Identifiers.validate(rename.destination());
        access.checkBody(request, warehouses.resolve(prefix), rename);
        return mutations.run(request, warehouses.resolve(prefix), body, () -> {
            CatalogHandlers.renameTable(catalog, rename);
            return Responses.noContent();
        });
    }

    @Post(uris = {"/namespaces/{namespace}/tables/{table}/metrics",
            "/{prefix}/namespaces/{namespace}/tables/{table}/metrics"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> reportMetrics(HttpRequest<?> request, @Nullable @PathVariable String prefix,
            @PathVariable String namespace, @PathVariable String table, @Body String body) {
        String warehouse = warehouses.resolve(prefix);
        TableIdentifier ident = Identifiers.table(Identifiers.namespace(namespace), table);
        ReportMetricsRequest report = IcebergJson.read(body, ReportMetricsRequest.class);
        metricsReports.record(warehouse, ident, report);
        return Responses.noContent();
    }

    @Get(uris = {"/namespaces/{namespace}/tables/{table}/credentials",
            "/{prefix}/namespaces/{namespace}/tables/{table}/credentials"})
    public MutableHttpResponse<String> credentials(HttpRequest<?> request, @Nullable @PathVariable String prefix,
            @PathVariable String namespace, @PathVariable String table) {
        Catalog catalog = backend(prefix).tables();
        TableIdentifier ident = Identifiers.table(Identifiers.namespace(namespace), table);
        // the table's location decides the credentials' scope; without vending (or for a table not
        // on S3) the list is empty and engines use their own storage credentials
        String location = catalog.loadTable(ident).location();
        return Responses.json(vended.credentialsResponse(request, location));
    }

    private static void requireNamespace(CatalogBackend backend, Namespace ns) {
        if (!backend.namespaces().namespaceExists(ns)) {
            throw new NoSuchNamespaceException("Namespace does not exist: %s", ns);
        }
    }

    private static MutableHttpResponse<String> notModified(String etag) {
        return HttpResponse.<String>status(HttpStatus.NOT_MODIFIED).header(HttpHeaders.ETAG, etag);
    }

    private static SnapshotMode snapshotMode(String value) {
        if (value == null || value.isEmpty()) {
            return SnapshotMode.ALL;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "all" -> SnapshotMode.ALL;
            case "refs" -> SnapshotMode.REFS;
            default -> throw new BadRequestException("Invalid snapshots: %s (accepted: all, refs)",
                    Identifiers.printable(value));
        };
    }

    static boolean bool(String value, String name) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException("Invalid %s: %s (accepted: true, false)", name,
                    Identifiers.printable(value));
        };
    }
}
