package dev.floe.contract;

import java.util.Locale;

/**
 * The name of one key of the catalog's TOML configuration: its table and key, and the
 * {@code FLOE_<TABLE>_<KEY>} environment variable that overrides it. The catalog attaches defaults,
 * descriptions and validation to these names ({@code dev.floe.catalog.config.ConfigKeys}); the
 * operator writes its TOML with them.
 *
 * @param section TOML table, e.g. {@code storage}
 * @param name    key inside the table, e.g. {@code password_file}
 */
public record ConfigName(String section, String name) {

    /** {@code section.name}, the key's canonical spelling in messages and docs. */
    public String path() {
        return section + "." + name;
    }

    /** {@code FLOE_SECTION_NAME}: the environment variable that overrides this key. */
    public String envName() {
        return ("FLOE_" + section + "_" + name).toUpperCase(Locale.ROOT);
    }
}
