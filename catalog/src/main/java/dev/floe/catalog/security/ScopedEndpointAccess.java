package dev.floe.catalog.security;

import dev.floe.catalog.rest.EndpointAccess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.rest.RESTRequest;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;

/**
 * The security layer's side of the REST controllers' {@link EndpointAccess}, for what the filters
 * cannot see in a route. Roles and the resource a route names are enforced before a controller
 * runs ({@link AccessDecision}). What remains:
 * <ul>
 *   <li>listings drop namespaces outside a scoped caller's prefix ({@link #visible}): a namespace is
 *   listed when it lies within the prefix or leads to it ({@code sales} is listed for a caller
 *   confined to {@code sales.eu}; {@code sales.us} is not);</li>
 *   <li>bodies naming namespaces and tables ({@link #checkBody}), checked after parsing and before
 *   anything is read or written, with the answers of the path checks: a rename source or a
 *   transaction's table outside the scope is {@code 404} like a missing one, a rename destination
 *   outside is {@code 404} like a missing destination namespace, and creating a namespace outside the
 *   scope is {@code 403} whether or not it exists.</li>
 * </ul>
 * Both read the caller the filters stored ({@link SecurityAttributes#requirePrincipal}); a request
 * without one is refused with 401, never treated as an unconfined caller.
 */
@Singleton
public final class ScopedEndpointAccess implements EndpointAccess {

    private final @Nullable MeterRegistry meters;

    public ScopedEndpointAccess(@Nullable MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public boolean visible(HttpRequest<?> request, String warehouse, Namespace namespace) {
        return SecurityAttributes.requirePrincipal(request).sees(warehouse, namespace);
    }

    @Override
    public String callerId(HttpRequest<?> request) {
        // "anonymous" only where no filter authenticates (a server started without security)
        return SecurityAttributes.principal(request).map(Principal::auditId).orElse("anonymous");
    }

    @Override
    public void checkBody(HttpRequest<?> request, String warehouse, RESTRequest body) {
        Principal principal = SecurityAttributes.requirePrincipal(request);
        Namespace prefix = principal.namespacePrefix();
        if (prefix == null) {
            return;
        }
        if (body instanceof CreateNamespaceRequest create) {
            if (!Principal.within(create.namespace(), prefix)) {
                throw denied(new ForbiddenException("This credential may only create namespaces within '%s'", prefix));
            }
        } else if (body instanceof RenameTableRequest rename) {
            boolean view = request.getPath().endsWith("/views/rename");
            if (outside(rename.source(), prefix)) {
                throw denied(
                        view
                                ? new NoSuchViewException("View does not exist: %s", rename.source())
                                : new NoSuchTableException("Table does not exist: %s", rename.source()));
            }
            if (outside(rename.destination(), prefix)) {
                throw denied(new NoSuchNamespaceException(
                        "Namespace does not exist: %s", rename.destination().namespace()));
            }
        } else if (body instanceof CommitTransactionRequest commit) {
            for (UpdateTableRequest change : commit.tableChanges()) {
                if (outside(change.identifier(), prefix)) {
                    throw denied(new NoSuchTableException("Table does not exist: %s", change.identifier()));
                }
            }
        }
    }

    private RuntimeException denied(RuntimeException answer) {
        if (meters != null) {
            meters.counter("floe.auth.denied", "reason", "scope").increment();
        }
        return answer;
    }

    private static boolean outside(@Nullable TableIdentifier table, Namespace prefix) {
        return table != null && !Principal.within(table.namespace(), prefix);
    }
}
