package dev.floe.catalog.security;

import dev.floe.catalog.rest.CallerPrincipal;
import dev.floe.catalog.rest.EndpointAccess;
import dev.floe.catalog.rest.OpenEndpointAccess;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.rest.Endpoint;

/**
 * The security layer's side of the REST controllers' authorization hook. Roles and the scope of
 * paths and bodies are enforced before a controller runs ({@link AuthenticationFilter},
 * {@link ScopeBodyFilter}), so {@link #check} has nothing left to refuse; what only a controller can
 * do is drop the entries of a listing outside the caller's namespace prefix, and {@link #visible}
 * decides that: a namespace is listed when it lies within the prefix or leads to it
 * ({@code sales} is listed for a caller confined to {@code sales.eu}; {@code sales.us} is not).
 */
@Singleton
@Replaces(OpenEndpointAccess.class)
public final class ScopedEndpointAccess implements EndpointAccess {

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
                || EndpointPolicy.visibleInListing(String.join(".", namespace.levels()), principal.namespacePrefix());
    }
}
