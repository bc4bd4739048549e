package dev.floe.catalog.rest;

import io.micronaut.http.HttpRequest;
import java.util.Set;

/**
 * Who is calling. The authentication filter (security package) stores one on the request under
 * {@link #ATTRIBUTE}; until it exists every request is the anonymous caller.
 *
 * @param name  principal name for logs and audit (never a secret)
 * @param roles granted roles
 */
public record CallerPrincipal(String name, Set<String> roles) {

    /** Request attribute under which filters store the authenticated caller. */
    public static final String ATTRIBUTE = "floe.principal";

    public static final CallerPrincipal ANONYMOUS = new CallerPrincipal("anonymous", Set.of());

    public CallerPrincipal {
        roles = Set.copyOf(roles);
    }

    /** The caller of {@code request}: what the authentication filter stored, else anonymous. */
    public static CallerPrincipal of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, CallerPrincipal.class).orElse(ANONYMOUS);
    }
}
