package dev.floe.catalog.security;

import dev.floe.catalog.rest.IcebergJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;

/**
 * The scope check for the requests that name their namespaces and tables in the body rather than
 * the path: namespace creation, table and view renames (source and destination) and multi-table
 * transactions (every table). It runs after {@link AuthenticationFilter} (which checked the role
 * and the path's warehouse) and before the controller, so a scoped caller cannot create, move or
 * commit anything outside its namespace prefix. Answers follow the path checks' policy: an
 * out-of-scope source or table is {@code 404} exactly like a missing one, an out-of-scope rename
 * destination is {@code 404} like a missing destination namespace, and creating a namespace outside
 * the scope is {@code 403} whether or not it exists. Bodies it cannot parse are left to the
 * controller, which answers {@code 400} with the same parser.
 */
@ServerFilter(patterns = {"/v1/namespaces", "/v1/*/namespaces", "/v1/tables/rename", "/v1/*/tables/rename",
        "/v1/views/rename", "/v1/*/views/rename", "/v1/transactions/commit", "/v1/*/transactions/commit"},
        methods = HttpMethod.POST)
public final class ScopeBodyFilter implements Ordered {

    private final @Nullable MeterRegistry meters;

    public ScopeBodyFilter(@Nullable MeterRegistry meters) {
        this.meters = meters;
    }

    @RequestFilter
    public @Nullable HttpResponse<?> check(HttpRequest<?> request, @Nullable @Body String body) {
        Principal principal = SecurityAttributes.principal(request).orElse(null);
        if (principal == null || principal.namespacePrefix() == null || body == null) {
            return null; // unscoped callers, and requests the authentication filter already answered
        }
        String prefix = principal.namespacePrefix();
        String path = request.getPath();
        try {
            if (path.endsWith("/namespaces")) {
                Namespace created = IcebergJson.read(body, CreateNamespaceRequest.class).namespace();
                if (created != null && !EndpointPolicy.withinNamespace(dotted(created), prefix)) {
                    return deny(request, "namespace.create", SecurityErrors.forbidden(
                            "This credential may only create namespaces within '" + prefix + "'"));
                }
            } else if (path.endsWith("/rename")) {
                boolean view = path.endsWith("/views/rename");
                RenameTableRequest rename = IcebergJson.read(body, RenameTableRequest.class);
                String action = view ? "view.rename" : "table.rename";
                if (outside(rename.source(), prefix)) {
                    return deny(request, action, SecurityErrors.error(io.micronaut.http.HttpStatus.NOT_FOUND,
                            view ? "NoSuchViewException" : "NoSuchTableException",
                            (view ? "View" : "Table") + " does not exist: " + rename.source()));
                }
                if (outside(rename.destination(), prefix)) {
                    return deny(request, action, SecurityErrors.error(io.micronaut.http.HttpStatus.NOT_FOUND,
                            "NoSuchNamespaceException", "Namespace does not exist: " + rename.destination().namespace()));
                }
            } else {
                List<TableIdentifier> tables = new ArrayList<>();
                for (UpdateTableRequest change : IcebergJson.read(body, CommitTransactionRequest.class).tableChanges()) {
                    tables.add(change.identifier());
                }
                for (TableIdentifier table : tables) {
                    if (outside(table, prefix)) {
                        return deny(request, "transaction.commit", SecurityErrors.error(
                                io.micronaut.http.HttpStatus.NOT_FOUND, "NoSuchTableException", "Table does not exist: " + table));
                    }
                }
            }
        } catch (RuntimeException e) {
            return null; // not parseable: the controller answers 400 with the same parser
        }
        return null;
    }

    private static boolean outside(@Nullable TableIdentifier table, String prefix) {
        return table != null && !EndpointPolicy.withinNamespace(dotted(table.namespace()), prefix);
    }

    private static String dotted(Namespace namespace) {
        return String.join(".", namespace.levels());
    }

    private HttpResponse<?> deny(HttpRequest<?> request, String action, HttpResponse<?> response) {
        if (meters != null) {
            meters.counter("floe.auth.denied", "reason", "scope").increment();
        }
        request.setAttribute(SecurityAttributes.AUDIT_ACTION, action);
        return response;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
