package dev.floe.catalog.security;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;

/**
 * What the catalog knows about an API key, without its secret (only a hash of it is stored).
 *
 * @param keyId           public lookup id
 * @param name            human name, e.g. {@code spark-etl}
 * @param roles           granted roles
 * @param warehouse       warehouse scope, or null for all
 * @param namespacePrefix namespace scope (levels joined by '.'), or null for all
 * @param createdBy       audit id of the principal that created it ({@code bootstrap}, {@code dev}, {@code key:…})
 * @param createdAt       creation time
 * @param expiresAt       expiry, or null for none
 * @param revokedAt       revocation time, or null while valid
 */
public record ApiKeyRecord(
        String keyId,
        String name,
        Set<Role> roles,
        @Nullable String warehouse,
        @Nullable String namespacePrefix,
        String createdBy,
        Instant createdAt,
        @Nullable Instant expiresAt,
        @Nullable Instant revokedAt) {

    public ApiKeyRecord {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether the key may authenticate at {@code now}. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** The principal this key authenticates as. */
    public Principal principal(String method) {
        return new Principal(name, keyId, roles, warehouse, scopeLevels(namespacePrefix), method);
    }

    /** Whether this key's scope lies inside {@code caller}'s, so the caller may create, see or revoke it. */
    public boolean within(Principal caller) {
        return caller.covers(warehouse, scopeLevels(namespacePrefix));
    }

    /** A stored namespace scope ({@code sales.eu}) as its levels ({@code ["sales", "eu"]}); null stays null. */
    public static @Nullable Namespace scopeLevels(@Nullable String namespacePrefix) {
        return namespacePrefix == null ? null : Namespace.of(namespacePrefix.split("\\.", -1));
    }
}
