package dev.floe.catalog.config;

import dev.floe.contract.ConfigName;
import java.util.List;

/**
 * One documented configuration key: its TOML section and name, default, description and (when the
 * value is an enumeration) the accepted values. The same table drives parsing, validation messages,
 * the {@code FLOE_*} environment names and {@code floe generate-config}.
 *
 * @param section   TOML table, e.g. {@code server}
 * @param name      key inside the table, e.g. {@code port}
 * @param defaultValue default as text, {@code ""} when unset
 * @param description one line for the generated configuration file
 * @param accepted  accepted values, empty when free-form
 */
public record ConfigKey(String section, String name, String defaultValue, String description, List<String> accepted) {

    public ConfigKey {
        accepted = List.copyOf(accepted);
    }

    static ConfigKey of(String section, String name, String defaultValue, String description) {
        return new ConfigKey(section, name, defaultValue, description, List.of());
    }

    /** A key whose name is part of the operator contract ({@link ConfigName}): both sides spell it from there. */
    static ConfigKey of(ConfigName name, String defaultValue, String description) {
        return new ConfigKey(name.section(), name.name(), defaultValue, description, List.of());
    }

    static ConfigKey of(ConfigName name, String defaultValue, String description, List<String> accepted) {
        return new ConfigKey(name.section(), name.name(), defaultValue, description, accepted);
    }

    /** {@code section.name}, the key's canonical spelling in messages. */
    public String path() {
        return section + "." + name;
    }

    /** {@code FLOE_SECTION_NAME}: the environment variable that overrides this key. */
    public String envName() {
        return new ConfigName(section, name).envName();
    }
}
