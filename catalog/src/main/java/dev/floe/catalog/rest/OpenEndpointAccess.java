package dev.floe.catalog.rest;

import jakarta.inject.Singleton;
import org.apache.iceberg.rest.Endpoint;

/** Allows every call: the behaviour until authentication exists (the README says so plainly). */
@Singleton
public class OpenEndpointAccess implements EndpointAccess {

    @Override
    public void check(CallerPrincipal caller, Endpoint endpoint, String warehouse) {
        // no authentication configured: everything is allowed
    }
}
