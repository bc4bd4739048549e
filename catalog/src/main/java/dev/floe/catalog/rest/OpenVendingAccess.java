package dev.floe.catalog.rest;

import dev.floe.catalog.vending.AccessLevel;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/** Without authentication every caller may commit, so every caller gets read-write credentials. */
@Singleton
public class OpenVendingAccess implements VendingAccess {

    @Override
    public AccessLevel level(HttpRequest<?> request) {
        return AccessLevel.READ_WRITE;
    }
}
