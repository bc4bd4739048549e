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
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
import org.apache.iceberg.rest.responses.ListNamespacesResponse;

/** Namespaces: list (paginated, with {@code parent}), create, load, exists, drop, update properties. */
@Controller("/v1")
public class NamespaceController {

    private final Warehouses warehouses;
    private final EndpointAccess access;
    private final Mutations mutations;

    public NamespaceController(Warehouses warehouses, EndpointAccess access, Mutations mutations) {
        this.warehouses = warehouses;
        this.access = access;
        this.mutations = mutations;
    }

    private SupportsNamespaces catalog(String prefix) {
        return warehouses.catalog(prefix);
    }

    @Get(uris = {"/namespaces", "/{prefix}/namespaces"})
    public MutableHttpResponse<String> list(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @Nullable @QueryValue String parent,
            @Nullable @QueryValue String pageToken,
            @Nullable @QueryValue String pageSize) {
        SupportsNamespaces catalog = catalog(prefix);
        String warehouse = warehouses.resolve(prefix);
        Namespace parentNs = Identifiers.optionalNamespace(parent);
        if (!parentNs.isEmpty()
                && (!access.visible(request, warehouse, parentNs) || !catalog.namespaceExists(parentNs))) {
            throw new NoSuchNamespaceException("Namespace does not exist: %s", parentNs);
        }
        var all = (parentNs.isEmpty() ? catalog.listNamespaces() : catalog.listNamespaces(parentNs))
                .stream().filter(ns -> access.visible(request, warehouse, ns)).toList();
        Pages<Namespace> page = Pages.of(all, Namespace::toString, pageToken, pageSize);
        return Responses.json(ListNamespacesResponse.builder()
                .addAll(page.items())
                .nextPageToken(page.nextPageToken())
                .build());
    }

    @Post(uris = {"/namespaces", "/{prefix}/namespaces"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> create(
            HttpRequest<?> request, @Nullable @PathVariable String prefix, @Body String body) {
        SupportsNamespaces catalog = catalog(prefix);
        CreateNamespaceRequest create = IcebergJson.read(body, CreateNamespaceRequest.class);
        Identifiers.validate(create.namespace());
        access.checkBody(request, warehouses.resolve(prefix), create);
        return mutations.run(
                request,
                warehouses.resolve(prefix),
                body,
                () -> Responses.json(CatalogHandlers.createNamespace(catalog, create)));
    }

    // headRoute = false: the explicit @Head below answers HEAD; Micronaut would otherwise add a
    // second HEAD route for this GET and answer every HEAD with 400 (DuplicateRouteException).
    @Get(
            uris = {"/namespaces/{namespace}", "/{prefix}/namespaces/{namespace}"},
            headRoute = false)
    public MutableHttpResponse<String> load(
            HttpRequest<?> request, @Nullable @PathVariable String prefix, @PathVariable String namespace) {
        SupportsNamespaces catalog = catalog(prefix);
        return Responses.json(CatalogHandlers.loadNamespace(catalog, Identifiers.namespace(namespace)));
    }

    @Head(uris = {"/namespaces/{namespace}", "/{prefix}/namespaces/{namespace}"})
    public MutableHttpResponse<String> exists(
            HttpRequest<?> request, @Nullable @PathVariable String prefix, @PathVariable String namespace) {
        SupportsNamespaces catalog = catalog(prefix);
        CatalogHandlers.namespaceExists(catalog, Identifiers.namespace(namespace));
        return Responses.noContent();
    }

    @Delete(uris = {"/namespaces/{namespace}", "/{prefix}/namespaces/{namespace}"})
    public MutableHttpResponse<String> drop(
            HttpRequest<?> request, @Nullable @PathVariable String prefix, @PathVariable String namespace) {
        String warehouse = warehouses.resolve(prefix);
        FloeCatalog catalog = warehouses.catalog(warehouse);
        Namespace ns = Identifiers.namespace(namespace);
        return mutations.run(request, warehouse, null, () -> {
            // refuse to drop a namespace that still holds tables, views or child namespaces
            if (catalog.namespaceExists(ns)
                    && (!catalog.listTables(ns).isEmpty()
                            || !catalog.listViews(ns).isEmpty()
                            || !catalog.listNamespaces(ns).isEmpty())) {
                throw new NamespaceNotEmptyException("Namespace %s is not empty", ns);
            }
            CatalogHandlers.dropNamespace(catalog, ns);
            return Responses.noContent();
        });
    }

    @Post(uris = {"/namespaces/{namespace}/properties", "/{prefix}/namespaces/{namespace}/properties"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> updateProperties(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @Body String body) {
        SupportsNamespaces catalog = catalog(prefix);
        Namespace ns = Identifiers.namespace(namespace);
        UpdateNamespacePropertiesRequest update = IcebergJson.read(body, UpdateNamespacePropertiesRequest.class);
        return mutations.run(
                request,
                warehouses.resolve(prefix),
                body,
                () -> Responses.json(CatalogHandlers.updateNamespaceProperties(catalog, ns, update)));
    }
}
