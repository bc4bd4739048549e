package dev.floe.catalog.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code [kms]} table, validated: the provider and every other key of the section by its TOML
 * name (blank values left out, defaults filled in). The crypto layer turns it into a key provider.
 * None of these values is a secret: secrets are read from the environment variables or files the
 * values name.
 *
 * @param provider {@code local} (the seed's {@code env} is normalised to it), {@code aws}, {@code gcp},
 *                 {@code azure} or {@code vault}
 * @param keys     TOML key name → value, for every other {@code [kms]} key that has a value
 */
public record KmsSettings(String provider, Map<String, String> keys) {

    public KmsSettings {
        Map<String, String> copy = new TreeMap<>();
        keys.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                copy.put(k, v.strip());
            }
        });
        keys = Map.copyOf(copy);
    }

    /** The value of a {@code [kms]} key, {@code ""} when unset. */
    public String get(ConfigKey key) {
        return keys.getOrDefault(key.name(), "");
    }

    public String keyEnvVar() {
        return get(ConfigKeys.KMS_KEY_ENV_VAR);
    }

    public String keyRingFile() {
        return get(ConfigKeys.KMS_KEY_RING_FILE);
    }

    public String vaultAddr() {
        return get(ConfigKeys.KMS_VAULT_ADDR);
    }

    public String keyName() {
        return get(ConfigKeys.KMS_KEY_NAME);
    }
}
