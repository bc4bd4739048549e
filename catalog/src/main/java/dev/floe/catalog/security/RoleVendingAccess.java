package dev.floe.catalog.security;

import dev.floe.catalog.rest.OpenVendingAccess;
import dev.floe.catalog.rest.VendingAccess;
import dev.floe.catalog.vending.AccessLevel;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * Vended credentials follow the role table: a principal holding {@code writer} (or {@code admin})
 * may commit, so gets read-write credentials; a {@code reader} gets read-only ones. The table's
 * namespace has already been checked against the principal's scope by {@link AccessDecision}
 * before the controller asks. A request without a principal gets read-only credentials.
 */
@Singleton
@Replaces(OpenVendingAccess.class)
public final class RoleVendingAccess implements VendingAccess {

    @Override
    public AccessLevel level(HttpRequest<?> request) {
        return SecurityAttributes.principal(request)
                        .filter(p -> p.has(Role.WRITER))
                        .isPresent()
                ? AccessLevel.READ_WRITE
                : AccessLevel.READ;
    }
}
