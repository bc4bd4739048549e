package dev.floe.catalog.rest;

import dev.floe.catalog.vending.AccessLevel;
import io.micronaut.http.HttpRequest;

/**
 * Which vended credentials a caller of a table endpoint gets: read-write for callers who may
 * commit to the table, read-only otherwise. The default ({@link OpenVendingAccess}) serves
 * catalogs without authentication, where everyone may commit; the security package replaces it
 * with the role table's answer.
 */
public interface VendingAccess {

    AccessLevel level(HttpRequest<?> request);
}
