package dev.floe.catalog.security;

import java.util.Collection;
import java.util.Locale;

/**
 * What a caller may do. Roles are ordered: {@code admin} includes {@code writer}, which includes
 * {@code reader}; an endpoint names the least role it needs.
 */
public enum Role {
    /** Read and list namespaces, tables and views; load table credentials; report metrics. */
    READER,
    /** Everything a reader may, plus create, commit, rename and drop. */
    WRITER,
    /** Everything, including API key management and key rotation. */
    ADMIN;

    /** Whether holding this role is enough for an endpoint that requires {@code required}. */
    public boolean satisfies(Role required) {
        return ordinal() >= required.ordinal();
    }

    /** Whether any of {@code roles} satisfies {@code required}. */
    public static boolean anySatisfies(Collection<Role> roles, Role required) {
        return roles.stream().anyMatch(role -> role.satisfies(required));
    }

    /** Lower-case name as used in the API and CLI. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code admin}, {@code writer} or {@code reader} (case-insensitive). */
    public static Role parse(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (Role role : values()) {
            if (role.name().equals(v)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + value + "'; accepted: admin, writer, reader");
    }
}
