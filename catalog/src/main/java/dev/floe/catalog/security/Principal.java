package dev.floe.catalog.security;

import io.micronaut.core.annotation.Nullable;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller: who it is, its roles and the part of the catalog it may see.
 *
 * @param name            display name for logs and audit (an API key's name, a JWT subject)
 * @param keyId           the API key id when authenticated by key or by a token issued for a key; else null
 * @param roles           granted roles
 * @param warehouse       the only warehouse (catalog prefix) this caller may use, or null for all
 * @param namespacePrefix the namespace (and its children) this caller is confined to, levels joined
 *                        by '.', or null for all
 * @param method          how the caller authenticated: {@code api-key}, {@code token}, {@code oidc}, {@code dev}
 */
public record Principal(String name, @Nullable String keyId, Set<Role> roles, @Nullable String warehouse,
                        @Nullable String namespacePrefix, String method) {

    public Principal {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(method, "method");
    }

    /** Whether the caller holds a role at least as strong as {@code required}. */
    public boolean has(Role required) {
        return Role.anySatisfies(roles, required);
    }

    /** Identity used by audit lines and rate limits: {@code key:<id>} or {@code <method>:<name>}. */
    public String auditId() {
        return keyId != null ? "key:" + keyId : method + ":" + name;
    }
}
