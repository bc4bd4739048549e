package dev.floe.catalog.security;

import dev.floe.catalog.rest.CallerPrincipal;
import dev.floe.catalog.rest.EndpointAccess;
import dev.floe.catalog.rest.OpenEndpointAccess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTRequest;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;

/**
 * The security layer's side of the REST controllers' authorization hook, for what the filters cannot
 * see in a path. Roles and the scope of paths are enforced before a controller runs
 * ({@link AccessDecision}), so {@link #check} has nothing left to refuse. What remains:
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
 */
@Singleton
@Replaces(OpenEndpointAccess.class)
public final class ScopedEndpointAccess implements EndpointAccess {

    private final @Nullable MeterRegistry meters;

    public ScopedEndpointAccess(@Nullable MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void check(CallerPrincipal caller, Endpoint endpoint, String warehouse) {
        // enforced earlier by the security filters, before anything was read
    }

    @Override
    public boolean visible(HttpRequest<?> request, String warehouse, Namespace namespace) {
        Principal principal = SecurityAttributes.principal(request).orElse(null);
        if (principal == null) {
            return true; // no principal: the filters let only public routes through without one
        }
        if (principal.warehouse() != null && !principal.warehouse().equals(warehouse)) {
            return false;
        }
        return principal.namespacePrefix() == null
                || EndpointPolicy.visibleInListing(dotted(namespace), principal.namespacePrefix());
    }

    @Override
    public void checkBody(HttpRequest<?> request, String warehouse, RESTRequest body) {
        Principal principal = SecurityAttributes.principal(request).orElse(null);
        if (principal == null || principal.namespacePrefix() == null) {
            return;
        }
        String prefix = principal.namespacePrefix();
        if (body instanceof CreateNamespaceRequest create) {
            if (!EndpointPolicy.withinNamespace(dotted(create.namespace()), prefix)) {
                throw denied(new ForbiddenException("This credential may only create namespaces within '%s'", prefix));
            }
        } else if (body instanceof RenameTableRequest rename) {
            boolean view = request.getPath().endsWith("/views/rename");
            if (outside(rename.source(), prefix)) {
                throw denied(view ? new NoSuchViewException("View does not exist: %s", rename.source())
                        : new NoSuchTableException("Table does not exist: %s", rename.source()));
            }
            if (outside(rename.destination(), prefix)) {
                throw denied(new NoSuchNamespaceException("Namespace does not exist: %s", rename.destination().namespace()));
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

    private static boolean outside(@Nullable TableIdentifier table, String prefix) {
        return table != null && !EndpointPolicy.withinNamespace(dotted(table.namespace()), prefix);
    }

    private static String dotted(Namespace namespace) {
        return String.join(".", namespace.levels());
    }
}
