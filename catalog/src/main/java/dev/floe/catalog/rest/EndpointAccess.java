package dev.floe.catalog.rest;

import io.micronaut.http.HttpRequest;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.rest.RESTRequest;

/**
 * What the controllers ask the security layer about things the security filters cannot see in a
 * route: which namespaces of a listing the caller may see, and whether the identifiers a request
 * body names are inside the caller's scope. Roles and the resource a route names are decided
 * before any controller runs (the security package's filters), so nothing here repeats them.
 *
 * <p>The implementation reads the caller the filters stored on the request and refuses with
 * {@code NotAuthorizedException} (401) when there is none: a request that reached a controller
 * without a caller was not authenticated, and must not be treated as anyone.
 */
public interface EndpointAccess {

    /**
     * Whether the caller of {@code request} may see {@code namespace} of {@code warehouse} in a
     * listing; listings drop the others before paginating, so names outside a caller's scope never
     * appear.
     */
    boolean visible(HttpRequest<?> request, String warehouse, Namespace namespace);

    /**
     * Checks the namespaces and tables a request names in its body rather than its path (namespace
     * creation, table and view renames, multi-table transactions) before the controller acts on it,
     * throwing the Iceberg exception the caller should see.
     */
    void checkBody(HttpRequest<?> request, String warehouse, RESTRequest body);

    /**
     * Who sent {@code request}, as the audit log names the caller: part of the fingerprint that binds
     * an Idempotency-Key to its sender, so that nobody else can replay its response.
     */
    String callerId(HttpRequest<?> request);
}
