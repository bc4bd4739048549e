package dev.floe.catalog.rest;

import io.micronaut.http.HttpRequest;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTRequest;

/**
 * Authorization hook called by every controller method before it reads anything. The default bean
 * ({@link OpenEndpointAccess}) allows everything; the security package replaces it with the
 * role table and throws {@code NotAuthorizedException} (401) or {@code ForbiddenException} (403).
 */
public interface EndpointAccess {

    void check(CallerPrincipal caller, Endpoint endpoint, String warehouse);

    /**
     * Whether the caller of {@code request} may see {@code namespace} of {@code warehouse} in a
     * listing; listings drop the others before paginating, so names outside a caller's scope never
     * appear. The default sees everything; the security package confines scoped credentials.
     */
    default boolean visible(HttpRequest<?> request, String warehouse, Namespace namespace) {
        return true;
    }

    /**
     * Checks the namespaces and tables a request names in its body rather than its path (namespace
     * creation, table and view renames, multi-table transactions) before the controller acts on it,
     * throwing the Iceberg exception the caller should see. The default allows everything; the
     * security package confines scoped credentials.
     */
    default void checkBody(HttpRequest<?> request, String warehouse, RESTRequest body) {
    }
}
