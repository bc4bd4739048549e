package dev.floe.catalog.rest;

import org.apache.iceberg.rest.Endpoint;

/**
 * Authorization hook called by every controller method before it reads anything. The default bean
 * ({@link OpenEndpointAccess}) allows everything; the security package replaces it with the
 * role table and throws {@code NotAuthorizedException} (401) or {@code ForbiddenException} (403).
 */
public interface EndpointAccess {

    void check(CallerPrincipal caller, Endpoint endpoint, String warehouse);
}
