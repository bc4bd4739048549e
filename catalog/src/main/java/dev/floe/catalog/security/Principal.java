package dev.floe.catalog.security;

import io.micronaut.core.annotation.Nullable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;

/**
 * An authenticated caller: who it is, its roles and the part of the catalog it may see. The scope
 * checks live here, so every place that confines a caller asks the same questions. Namespaces are
 * compared level by level: a scope {@code ["sales", "eu"]} covers {@code ["sales", "eu", "x"]}
 * but not the one-level namespace {@code ["sales.eu"]}.
 *
 * @param name            display name for logs and audit (an API key's name, a JWT subject)
 * @param keyId           the API key id when authenticated by key or by a token issued for a key; else null
 * @param roles           granted roles
 * @param warehouse       the only warehouse (catalog prefix) this caller may use, or null for all
 * @param namespacePrefix the namespace (and its children) this caller is confined to, or null for all
 * @param method          how the caller authenticated: {@code api-key}, {@code token}, {@code oidc}, {@code dev}
 */
public record Principal(
        String name,
        @Nullable String keyId,
        Set<Role> roles,
        @Nullable String warehouse,
        @Nullable Namespace namespacePrefix,
        String method) {

    public Principal {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(method, "method");
        if (namespacePrefix != null && namespacePrefix.isEmpty()) {
            namespacePrefix = null;
        }
    }

    /** Whether the caller holds a role at least as strong as {@code required}. */
    public boolean has(Role required) {
        return Role.anySatisfies(roles, required);
    }

    /** Identity used by audit lines and rate limits: {@code key:<id>} or {@code <method>:<name>}. */
    public String auditId() {
        return keyId != null ? "key:" + keyId : method + ":" + name;
    }

    /** Whether this caller is confined to nothing: it may use catalog-wide operations. */
    public boolean unscoped() {
        return warehouse == null && namespacePrefix == null;
    }

    /** Whether this caller may use objects of {@code warehouse} in {@code namespace} (either may be null: not named). */
    public boolean mayUse(@Nullable String warehouse, @Nullable Namespace namespace) {
        return mayUseWarehouse(warehouse)
                && (namespacePrefix == null || namespace == null || within(namespace, namespacePrefix));
    }

    /** Whether this caller may use {@code warehouse} at all (null: not named). */
    public boolean mayUseWarehouse(@Nullable String warehouse) {
        return this.warehouse == null || warehouse == null || this.warehouse.equals(warehouse);
    }

    /** Whether a listing shows {@code namespace} to this caller: it lies inside its scope, or leads there. */
    public boolean sees(String warehouse, Namespace namespace) {
        return mayUseWarehouse(warehouse)
                && (namespacePrefix == null
                        || within(namespace, namespacePrefix)
                        || within(namespacePrefix, namespace));
    }

    /**
     * Whether a credential scoped to {@code warehouse} and {@code namespace} (null: unconfined) lies
     * inside this caller's scope, so this caller may create, see or revoke it.
     */
    public boolean covers(@Nullable String warehouse, @Nullable Namespace namespace) {
        if (this.warehouse != null && !this.warehouse.equals(warehouse)) {
            return false;
        }
        return namespacePrefix == null || (namespace != null && within(namespace, namespacePrefix));
    }

    /** Whether {@code namespace} is {@code prefix} or lies below it, comparing whole levels. */
    public static boolean within(Namespace namespace, Namespace prefix) {
        if (namespace.length() < prefix.length()) {
            return false;
        }
        List<String> head = Arrays.asList(namespace.levels()).subList(0, prefix.length());
        return head.equals(Arrays.asList(prefix.levels()));
    }
}
