package dev.floe.catalog.rest;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
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
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.apache.iceberg.rest.requests.ReportMetricsRequest;

/**
 * Tables: list, create (and stage-create), register, load (with ETag / If-None-Match), exists,
 * commit, drop (with purge), rename, metrics reports and storage credentials. HTTP mapping only:
 * paths, query parameters and headers become arguments of {@link TableService}, which does the work.
 */
@Controller("/v1")
public class TableController {

    private final TableService tables;
    private final VendedCredentialResponses vended;

    public TableController(TableService tables, VendedCredentialResponses vended) {
        this.tables = tables;
        this.vended = vended;
    }

    @Get(uris = {"/namespaces/{namespace}/tables", "/{prefix}/namespaces/{namespace}/tables"})
    public MutableHttpResponse<String> list(
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @Nullable @QueryValue String pageToken,
            @Nullable @QueryValue String pageSize) {
        return tables.list(prefix, Identifiers.namespace(namespace), pageToken, pageSize);
    }

    @Post(uris = {"/namespaces/{namespace}/tables", "/{prefix}/namespaces/{namespace}/tables"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> create(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @Body String body,
            @Nullable @Header(VendedCredentialResponses.HEADER) String delegation) {
        return tables.create(request, prefix, Identifiers.namespace(namespace), body, vended.requested(delegation));
    }

    @Post(uris = {"/namespaces/{namespace}/register", "/{prefix}/namespaces/{namespace}/register"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> register(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @Body String body,
            @Nullable @Header(VendedCredentialResponses.HEADER) String delegation) {
        return tables.register(request, prefix, Identifiers.namespace(namespace), body, vended.requested(delegation));
    }

    /** Runs on the request's own thread: {@link TableService#load} decides whether to leave it. */
    @Get(
            uris = {"/namespaces/{namespace}/tables/{table}", "/{prefix}/namespaces/{namespace}/tables/{table}"},
            headRoute = false)
    @ExecuteOn(RequestThread.EXECUTOR)
    public CompletableFuture<MutableHttpResponse<?>> load(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @PathVariable String table,
            @Nullable @QueryValue String snapshots,
            @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @Nullable @Header(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding,
            @Nullable @Header(VendedCredentialResponses.HEADER) String delegation) {
        return tables.load(
                request,
                prefix,
                new TableService.Load(
                        table(namespace, table),
                        snapshotMode(snapshots),
                        ifNoneMatch,
                        LoadTableCache.acceptsGzip(acceptEncoding),
                        vended.requested(delegation)));
    }

    @Head(uris = {"/namespaces/{namespace}/tables/{table}", "/{prefix}/namespaces/{namespace}/tables/{table}"})
    public MutableHttpResponse<String> exists(
            @Nullable @PathVariable String prefix, @PathVariable String namespace, @PathVariable String table) {
        return tables.exists(prefix, table(namespace, table));
    }

    @Post(uris = {"/namespaces/{namespace}/tables/{table}", "/{prefix}/namespaces/{namespace}/tables/{table}"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> commit(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @PathVariable String table,
            @Body String body) {
        return tables.commit(request, prefix, table(namespace, table), body);
    }

    @Delete(uris = {"/namespaces/{namespace}/tables/{table}", "/{prefix}/namespaces/{namespace}/tables/{table}"})
    public MutableHttpResponse<String> drop(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @PathVariable String table,
            @Nullable @QueryValue String purgeRequested) {
        return tables.drop(request, prefix, table(namespace, table), bool(purgeRequested, "purgeRequested"));
    }

    @Post(uris = {"/tables/rename", "/{prefix}/tables/rename"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> rename(
            HttpRequest<?> request, @Nullable @PathVariable String prefix, @Body String body) {
        return tables.rename(request, prefix, body);
    }

    @Post(
            uris = {
                "/namespaces/{namespace}/tables/{table}/metrics",
                "/{prefix}/namespaces/{namespace}/tables/{table}/metrics"
            })
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> reportMetrics(
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @PathVariable String table,
            @Body String body) {
        return tables.reportMetrics(
                prefix, table(namespace, table), IcebergJson.read(body, ReportMetricsRequest.class));
    }

    @Get(
            uris = {
                "/namespaces/{namespace}/tables/{table}/credentials",
                "/{prefix}/namespaces/{namespace}/tables/{table}/credentials"
            })
    public MutableHttpResponse<String> credentials(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @PathVariable String table) {
        return tables.credentials(request, prefix, table(namespace, table));
    }

    private static TableIdentifier table(String namespace, String table) {
        return Identifiers.table(Identifiers.namespace(namespace), table);
    }

    private static SnapshotMode snapshotMode(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return SnapshotMode.ALL;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "all" -> SnapshotMode.ALL;
            case "refs" -> SnapshotMode.REFS;
            default ->
                throw new BadRequestException(
                        "Invalid snapshots: %s (accepted: all, refs)", Identifiers.printable(value));
        };
    }

    private static boolean bool(@Nullable String value, String name) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new BadRequestException(
                        "Invalid %s: %s (accepted: true, false)", name, Identifiers.printable(value));
        };
    }
}
