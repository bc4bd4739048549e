package dev.floe.catalog.rest;

import dev.floe.catalog.catalog.FloeCatalog;
import dev.floe.catalog.catalog.Warehouses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Head;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import java.util.function.Function;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.requests.CreateViewRequest;
import org.apache.iceberg.rest.requests.RegisterViewRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ListTablesResponse;
import org.apache.iceberg.rest.responses.LoadViewResponse;

/** Views: list, create, register, load, exists, replace (commit), drop, rename. */
@Controller("/v1")
public class ViewController {

    private final Warehouses warehouses;
    private final EndpointAccess access;
    private final Mutations mutations;

    public ViewController(Warehouses warehouses, EndpointAccess access, Mutations mutations) {
        this.warehouses = warehouses;
        this.access = access;
        this.mutations = mutations;
    }

    private FloeCatalog catalog(String prefix) {
        return warehouses.catalog(prefix);
    }

    @Get(uris = {"/namespaces/{namespace}/views", "/{prefix}/namespaces/{namespace}/views"})
    public MutableHttpResponse<String> list(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @Nullable @QueryValue String pageToken,
            @Nullable @QueryValue String pageSize) {
        ViewCatalog catalog = catalog(prefix);
        Namespace ns = Identifiers.namespace(namespace);
        Pages<TableIdentifier> page = Pages.of(catalog.listViews(ns), TableIdentifier::name, pageToken, pageSize);
        return Responses.json(ListTablesResponse.builder()
                .addAll(page.items())
                .nextPageToken(page.nextPageToken())
                .build());
    }

    @Post(uris = {"/namespaces/{namespace}/views", "/{prefix}/namespaces/{namespace}/views"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> create(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @Body String body) {
        Namespace ns = Identifiers.namespace(namespace);
        CreateViewRequest create = IcebergJson.read(body, CreateViewRequest.class);
        return addToNamespace(
                request,
                prefix,
                Identifiers.table(ns, create.name()),
                body,
                catalog -> CatalogHandlers.createView(catalog, ns, create));
    }

    @Post(uris = {"/namespaces/{namespace}/register-view", "/{prefix}/namespaces/{namespace}/register-view"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> register(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @Body String body) {
        Namespace ns = Identifiers.namespace(namespace);
        RegisterViewRequest register = IcebergJson.read(body, RegisterViewRequest.class);
        return addToNamespace(
                request,
                prefix,
                Identifiers.table(ns, register.name()),
                body,
                catalog -> CatalogHandlers.registerView(catalog, ns, register));
    }

    /**
     * A create or register of view {@code ident}, idempotently, in a namespace that must exist; a
     * retry whose response was too large to keep reloads the view.
     */
    private MutableHttpResponse<String> addToNamespace(
            HttpRequest<?> request,
            @Nullable String prefix,
            TableIdentifier ident,
            String body,
            Function<FloeCatalog, LoadViewResponse> add) {
        FloeCatalog catalog = catalog(prefix);
        return mutations.run(
                request,
                warehouses.resolve(prefix),
                body,
                () -> {
                    catalog.requireNamespace(ident.namespace());
                    return Responses.json(add.apply(catalog));
                },
                () -> Responses.json(CatalogHandlers.loadView(catalog, ident)));
    }

    @Get(
            uris = {"/namespaces/{namespace}/views/{view}", "/{prefix}/namespaces/{namespace}/views/{view}"},
            headRoute = false)
    public MutableHttpResponse<String> load(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @PathVariable String view) {
        ViewCatalog catalog = catalog(prefix);
        return Responses.json(
                CatalogHandlers.loadView(catalog, Identifiers.table(Identifiers.namespace(namespace), view)));
    }

    @Head(uris = {"/namespaces/{namespace}/views/{view}", "/{prefix}/namespaces/{namespace}/views/{view}"})
    public MutableHttpResponse<String> exists(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @PathVariable String view) {
        ViewCatalog catalog = catalog(prefix);
        CatalogHandlers.viewExists(catalog, Identifiers.table(Identifiers.namespace(namespace), view));
        return Responses.noContent();
    }

    @Post(uris = {"/namespaces/{namespace}/views/{view}", "/{prefix}/namespaces/{namespace}/views/{view}"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> replace(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @PathVariable String view,
            @Body String body) {
        ViewCatalog catalog = catalog(prefix);
        TableIdentifier ident = Identifiers.table(Identifiers.namespace(namespace), view);
        UpdateTableRequest update = IcebergJson.read(body, UpdateTableRequest.class);
        return mutations.run(
                request,
                warehouses.resolve(prefix),
                body,
                () -> Responses.json(CatalogHandlers.updateView(catalog, ident, update)),
                () -> Responses.json(CatalogHandlers.loadView(catalog, ident)));
    }

    @Delete(uris = {"/namespaces/{namespace}/views/{view}", "/{prefix}/namespaces/{namespace}/views/{view}"})
    public MutableHttpResponse<String> drop(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @PathVariable String view) {
        ViewCatalog catalog = catalog(prefix);
        TableIdentifier ident = Identifiers.table(Identifiers.namespace(namespace), view);
        return mutations.run(request, warehouses.resolve(prefix), null, () -> {
            CatalogHandlers.dropView(catalog, ident);
            return Responses.noContent();
        });
    }

    @Post(uris = {"/views/rename", "/{prefix}/views/rename"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> rename(
            HttpRequest<?> request, @Nullable @PathVariable String prefix, @Body String body) {
        ViewCatalog catalog = catalog(prefix);
        RenameTableRequest rename = IcebergJson.read(body, RenameTableRequest.class);
        Identifiers.validate(rename.source());
        Identifiers.validate(rename.destination());
        access.checkBody(request, warehouses.resolve(prefix), rename);
        return mutations.run(request, warehouses.resolve(prefix), body, () -> {
            CatalogHandlers.renameView(catalog, rename);
            return Responses.noContent();
        });
    }
}
