package dev.floe.catalog.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Validates the {@code [kms]} table at start-up: the provider name, the keys each provider requires,
 * URLs, the files the section names, and the call-guard numbers. Every failure names the key, where
 * its value came from and what it accepts, so a bad configuration stops the catalog before it
 * touches the store or the KMS.
 */
final class KmsSection {

    /** Keys a provider cannot work without. */
    static final Map<String, List<ConfigKey>> REQUIRED = Map.of(
            "local", List.of(),
            "aws", List.of(ConfigKeys.KMS_KEY_ID, ConfigKeys.KMS_AWS_REGION),
            "gcp",
                    List.of(
                            ConfigKeys.KMS_PROJECT_ID,
                            ConfigKeys.KMS_LOCATION,
                            ConfigKeys.KMS_KEY_RING,
                            ConfigKeys.KMS_CRYPTO_KEY),
            "azure", List.of(ConfigKeys.KMS_VAULT_URL, ConfigKeys.KMS_KEY_NAME),
            "vault", List.of(ConfigKeys.KMS_VAULT_ADDR, ConfigKeys.KMS_KEY_NAME));

    private final Function<ConfigKey, String> value;
    private final Function<ConfigKey, String> origin;

    KmsSection(Function<ConfigKey, String> value, Function<ConfigKey, String> origin) {
        this.value = value;
        this.origin = origin;
    }

    KmsSettings read() {
        String provider = v(ConfigKeys.KMS_PROVIDER);
        if (!ConfigKeys.KMS_PROVIDER.accepted().contains(provider)) {
            throw bad(ConfigKeys.KMS_PROVIDER, String.join(", ", ConfigKeys.KMS_PROVIDER.accepted()));
        }
        if (provider.equals("env")) {
            provider = "local";
        }
        for (ConfigKey key : REQUIRED.get(provider)) {
            if (v(key).isEmpty()) {
                throw new ConfigException(key.path() + ": required when kms.provider = " + provider + " ("
                        + key.description() + "); set it in [kms] or as " + key.envName());
            }
        }
        url(ConfigKeys.KMS_ENDPOINT);
        if (provider.equals("vault")) {
            url(ConfigKeys.KMS_VAULT_ADDR);
            if (!v(ConfigKeys.KMS_VAULT_KUBERNETES_ROLE).isEmpty()) {
                readableFile(ConfigKeys.KMS_VAULT_KUBERNETES_TOKEN_FILE);
                if (!v(ConfigKeys.KMS_VAULT_KUBERNETES_MOUNT).matches("[A-Za-z0-9_./-]+")) {
                    throw bad(ConfigKeys.KMS_VAULT_KUBERNETES_MOUNT, "a Vault mount path such as kubernetes");
                }
            }
        }
        if (provider.equals("azure")) {
            url(ConfigKeys.KMS_VAULT_URL);
        }
        if (provider.equals("local")) {
            readableFile(ConfigKeys.KMS_KEY_RING_FILE);
            readableFile(ConfigKeys.KMS_KEY_FILE);
        }
        if (provider.equals("vault")) {
            readableFile(ConfigKeys.KMS_VAULT_TOKEN_FILE);
        }
        if (provider.equals("aws") || provider.equals("azure")) {
            String dir = v(ConfigKeys.KMS_CREDENTIALS_DIR);
            if (!dir.isEmpty() && !Files.isDirectory(Path.of(dir))) {
                throw new ConfigException(ConfigKeys.KMS_CREDENTIALS_DIR.path() + ": '" + dir + "' (from "
                        + origin.apply(ConfigKeys.KMS_CREDENTIALS_DIR) + ") is not a directory ("
                        + ConfigKeys.KMS_CREDENTIALS_DIR.description() + ")");
            }
        }
        if (provider.equals("gcp")) {
            readableFile(ConfigKeys.KMS_CREDENTIALS_FILE);
        }
        seconds(ConfigKeys.KMS_TIMEOUT_SECONDS, 0.001, 600);
        integer(ConfigKeys.KMS_MAX_ATTEMPTS, 1, 10);
        double backoff = seconds(ConfigKeys.KMS_BACKOFF_SECONDS, 0, 60);
        double backoffMax = seconds(ConfigKeys.KMS_BACKOFF_MAX_SECONDS, 0, 300);
        if (backoffMax < backoff) {
            throw bad(
                    ConfigKeys.KMS_BACKOFF_MAX_SECONDS, "a number of seconds >= kms.backoff_seconds (" + backoff + ")");
        }
        integer(ConfigKeys.KMS_BREAKER_THRESHOLD, 1, 1000);
        seconds(ConfigKeys.KMS_BREAKER_OPEN_SECONDS, 0.001, 3600);

        Map<String, String> keys = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            if (key.section().equals("kms") && key != ConfigKeys.KMS_PROVIDER) {
                keys.put(key.name(), v(key));
            }
        }
        return new KmsSettings(provider, keys);
    }

    private String v(ConfigKey key) {
        String s = value.apply(key);
        return s == null ? "" : s.strip();
    }

    private void url(ConfigKey key) {
        String s = v(key);
        if (s.isEmpty()) {
            return;
        }
        try {
            URI uri = new URI(s);
            if ((uri.getScheme() == null || !uri.getScheme().matches("https?")) || uri.getHost() == null) {
                throw bad(key, "an absolute http:// or https:// URL with a host");
            }
        } catch (java.net.URISyntaxException e) {
            throw bad(key, "an absolute http:// or https:// URL with a host");
        }
    }

    private void readableFile(ConfigKey key) {
        String s = v(key);
        if (!s.isEmpty() && !(Files.isRegularFile(Path.of(s)) && Files.isReadable(Path.of(s)))) {
            throw new ConfigException(key.path() + ": file '" + s + "' (from " + origin.apply(key)
                    + ") does not exist or is not readable (" + key.description() + ")");
        }
    }

    private double seconds(ConfigKey key, double min, double max) {
        try {
            double d = Double.parseDouble(v(key));
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(
                key,
                "a number of seconds from " + (min == 0 ? "0" : (min < 0.01 ? "more than 0" : min)) + " to "
                        + (long) max);
    }

    private void integer(ConfigKey key, int min, int max) {
        try {
            int n = Integer.parseInt(v(key));
            if (n >= min && n <= max) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(key, "an integer from " + min + " to " + max);
    }

    private ConfigException bad(ConfigKey key, String accepted) {
        return new ConfigException(key.path() + ": invalid value '" + v(key) + "' (from " + origin.apply(key)
                + "); accepted: " + accepted);
    }
}
