package dev.floe.catalog.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds the {@link FloeConfig} from, in increasing precedence: defaults, one TOML file,
 * {@code FLOE_*} environment variables and command-line flags. Every value is validated here, and a
 * bad one fails start-up with a message naming the key and what it accepts.
 */
public final class ConfigLoader {

    /** Names a warehouse may not take, because they are path words of the REST API. */
    static final List<String> RESERVED_WAREHOUSE_NAMES =
            List.of("config", "namespaces", "tables", "views", "transactions", "oauth", "metrics");

    private static final Pattern WAREHOUSE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> namedWarehouses = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();
    private boolean dev;

    public ConfigLoader() {
        for (ConfigKey key : ConfigKeys.ALL) {
            values.put(key.path(), key.defaultValue());
            origins.put(key.path(), "default");
        }
    }

    /** Reads one TOML file; unknown tables or keys are errors (a typo must not be silently ignored). */
    public ConfigLoader file(Path toml) {
        if (!Files.isRegularFile(toml)) {
            throw new ConfigException("--config: file not found: " + toml);
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml.toFile());
        } catch (IOException e) {
            throw new ConfigException("--config: " + toml + " is not valid TOML: " + firstLine(e.getMessage()));
        }
        for (Map.Entry<String, JsonNode> section : root.properties()) {
            if (section.getKey().equals("warehouses")) {
                readNamedWarehouses(section.getValue(), toml);
                continue;
            }
            if (!section.getValue().isObject()) {
                throw new ConfigException(
                        toml + ": '" + section.getKey() + "' must be a table; accepted tables: " + acceptedSections());
            }
            for (Map.Entry<String, JsonNode> key : section.getValue().properties()) {
                ConfigKey known = ConfigKeys.find(section.getKey(), key.getKey())
                        .orElseThrow(() -> new ConfigException(toml + ": unknown key '" + section.getKey() + "."
                                + key.getKey() + "'; accepted keys: "
                                + ConfigKeys.ALL.stream().map(ConfigKey::path).collect(Collectors.joining(", "))
                                + ", warehouses.<name>.location"));
                if (!key.getValue().isValueNode()) {
                    throw new ConfigException(toml + ": '" + known.path() + "' must be a single value");
                }
                set(known, key.getValue().asText(), toml.toString());
            }
        }
        return this;
    }

    private void readNamedWarehouses(JsonNode node, Path toml) {
        for (Map.Entry<String, JsonNode> wh : node.properties()) {
            JsonNode location = wh.getValue().get("location");
            if (location == null || !location.isTextual() || wh.getValue().size() != 1) {
                throw new ConfigException(
                        toml + ": 'warehouses." + wh.getKey() + "' must hold exactly one key, location = \"<url>\"");
            }
            namedWarehouses.put(wh.getKey(), location.asText());
        }
    }

    /** Applies {@code FLOE_SECTION_KEY} variables, e.g. {@code FLOE_SERVER_PORT=9000}. */
    public ConfigLoader environment(Map<String, String> env) {
        for (ConfigKey key : ConfigKeys.ALL) {
            String value = env.get(key.envName());
            if (value != null) {
                set(key, value, "environment " + key.envName());
            }
        }
        return this;
    }

    /** Applies one command-line flag (null values are ignored: the flag was not given). */
    public ConfigLoader flag(ConfigKey key, String flagName, Object value) {
        if (value != null) {
            set(key, String.valueOf(value), "flag " + flagName);
        }
        return this;
    }

    /** {@code --dev}: embedded storage under ./.floe/, loopback only. */
    public ConfigLoader dev(boolean enabled) {
        this.dev = enabled;
        return this;
    }

    /** Where the effective value of a key came from (default, file, environment or flag). */
    public String origin(ConfigKey key) {
        return origins.get(key.path());
    }

    private void set(ConfigKey key, String value, String origin) {
        values.put(key.path(), value.trim());
        origins.put(key.path(), origin);
    }

    /** The resolved value of a key that {@link FloeConfig} does not carry (e.g. [tls], [auth]); empty if unset. */
    public String value(ConfigKey key) {
        return v(key);
    }

    /** Validates everything and returns the typed configuration. */
    public FloeConfig load() {
        String host = require(ConfigKeys.SERVER_HOST);
        if (dev && !isLoopback(host)) {
            throw new ConfigException("server.host: --dev listens on loopback only (127.0.0.1, ::1 or localhost), got '"
                    + host + "' from " + origin(ConfigKeys.SERVER_HOST));
        }
        int port = (int) number(ConfigKeys.SERVER_PORT, 0, 65535);
        long maxBytes = number(ConfigKeys.SERVER_MAX_REQUEST_BYTES, 1024, Integer.MAX_VALUE);
        int managementPort = v(ConfigKeys.SERVER_MANAGEMENT_PORT).isEmpty()
                ? 0
                : (int) number(ConfigKeys.SERVER_MANAGEMENT_PORT, 1, 65535);
        if (managementPort != 0 && managementPort == port) {
            throw bad(
                    ConfigKeys.SERVER_MANAGEMENT_PORT,
                    String.valueOf(managementPort),
                    "a port other than server.port (" + port
                            + "), or unset to serve health and metrics on server.port");
        }
        Duration shutdownDrain = Duration.ofSeconds(number(ConfigKeys.SERVER_SHUTDOWN_DRAIN_SECONDS, 0, 60));

        String storageUrl = require(ConfigKeys.STORAGE_URL);
        if (!(storageUrl.startsWith("file:")
                || storageUrl.startsWith("jdbc:postgresql://")
                || storageUrl.startsWith("postgresql://")
                || storageUrl.startsWith("postgres://"))) {
            throw bad(
                    ConfigKeys.STORAGE_URL,
                    storageUrl,
                    "file:///dir, jdbc:postgresql://host/db or postgresql://host/db");
        }
        if (storageUrl.startsWith("postgres://")) {
            storageUrl = "postgresql://" + storageUrl.substring("postgres://".length());
        }
        if (storageUrl.startsWith("file:")) {
            storageUrl = "file://" + StorageSettings.fileUrlToPath(storageUrl);
        }
        StorageSettings storage = new StorageSettings(
                storageUrl,
                readableFile(ConfigKeys.STORAGE_USERNAME_FILE),
                readableFile(ConfigKeys.STORAGE_PASSWORD_FILE));

        String warehouseName = require(ConfigKeys.WAREHOUSE_NAME);
        checkWarehouseName(warehouseName, ConfigKeys.WAREHOUSE_NAME.path());
        Map<String, String> locations = new LinkedHashMap<>();
        locations.put(
                warehouseName, location(ConfigKeys.WAREHOUSE_LOCATION.path(), require(ConfigKeys.WAREHOUSE_LOCATION)));
        namedWarehouses.forEach((name, location) -> {
            checkWarehouseName(name, "warehouses." + name);
            if (locations.containsKey(name)) {
                throw new ConfigException("warehouses." + name + ": duplicates the default warehouse name");
            }
            locations.put(name, location("warehouses." + name + ".location", location));
        });

        WarehouseSettings.S3 s3 = warehouseS3();

        String tableLocations = v(ConfigKeys.WAREHOUSE_TABLE_LOCATIONS);
        if (!ConfigKeys.WAREHOUSE_TABLE_LOCATIONS.accepted().contains(tableLocations)) {
            throw bad(ConfigKeys.WAREHOUSE_TABLE_LOCATIONS, tableLocations, "namespace or warehouse");
        }

        KmsSettings kms = new KmsSection(this::v, this::origin).read();

        return new FloeConfig(
                new ServerSettings(host, port, maxBytes, managementPort, shutdownDrain),
                storage,
                new WarehouseSettings(
                        warehouseName,
                        locations,
                        s3,
                        new WarehouseSettings.Adls(
                                httpUrl(ConfigKeys.WAREHOUSE_ADLS_ENDPOINT),
                                readableFile(ConfigKeys.WAREHOUSE_ADLS_ACCOUNT_KEY_FILE)),
                        new WarehouseSettings.Gcs(
                                httpUrl(ConfigKeys.WAREHOUSE_GCS_ENDPOINT),
                                v(ConfigKeys.WAREHOUSE_GCS_PROJECT_ID),
                                bool(ConfigKeys.WAREHOUSE_GCS_NO_AUTH)),
                        tableLocations),
                kms,
                dev);
    }

    /**
     * Only the {@code [warehouse] s3_*} and {@code credentials_dir} settings, validated: what
     * {@code floe backup} and {@code floe restore} need to reach an {@code s3://} backup location
     * with the warehouse's own client settings, in a pod that has none of the KMS or TLS files that
     * {@link #load()} checks.
     */
    public WarehouseSettings.S3 warehouseS3() {
        return new WarehouseSettings.S3(
                httpUrl(ConfigKeys.WAREHOUSE_S3_ENDPOINT),
                v(ConfigKeys.WAREHOUSE_S3_REGION),
                bool(ConfigKeys.WAREHOUSE_S3_PATH_STYLE_ACCESS),
                directory(ConfigKeys.WAREHOUSE_CREDENTIALS_DIR),
                vending(),
                bool(ConfigKeys.WAREHOUSE_S3_REMOTE_SIGNING));
    }

    /**
     * {@code s3_vending_*}: the role must be an IAM role ARN; the lifetime is bounded by what STS
     * AssumeRole accepts (900 s to 12 h), so a bad value stops the start instead of every vend.
     */
    private WarehouseSettings.Vending vending() {
        String roleArn = v(ConfigKeys.WAREHOUSE_S3_VENDING_ROLE_ARN);
        if (!roleArn.isEmpty() && !IAM_ROLE_ARN.matcher(roleArn).matches()) {
            throw bad(
                    ConfigKeys.WAREHOUSE_S3_VENDING_ROLE_ARN,
                    roleArn,
                    "an IAM role ARN, arn:<partition>:iam::<12-digit account>:role/<name>");
        }
        long seconds = number(ConfigKeys.WAREHOUSE_S3_VENDING_LIFETIME_SECONDS, 900, 43200);
        return new WarehouseSettings.Vending(
                roleArn, Duration.ofSeconds(seconds), httpUrl(ConfigKeys.WAREHOUSE_S3_STS_ENDPOINT));
    }

    private static final Pattern IAM_ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("::1") || host.equals("localhost");
    }

    private void checkWarehouseName(String name, String key) {
        if (!WAREHOUSE_NAME.matcher(name).matches() || RESERVED_WAREHOUSE_NAMES.contains(name)) {
            throw new ConfigException(key + ": invalid warehouse name '" + name
                    + "'; accepted: 1-64 of [A-Za-z0-9_-] starting with a letter or digit, not one of "
                    + RESERVED_WAREHOUSE_NAMES);
        }
    }

    /** Normalises a table-file location; relative {@code file://./x} becomes an absolute file URI. */
    private static String location(String key, String location) {
        if (location.startsWith("file:")) {
            return StorageSettings.fileUrlToPath(location).toUri().toString().replaceAll("/$", "");
        }
        for (String scheme : List.of("s3://", "s3a://", "gs://", "abfs://", "abfss://", "wasbs://")) {
            if (location.startsWith(scheme) && location.length() > scheme.length()) {
                return location.replaceAll("/$", "");
            }
        }
        if (location.startsWith("/")) {
            return Path.of(location).toUri().toString().replaceAll("/$", "");
        }
        throw new ConfigException(
                key + ": unsupported location '" + location
                        + "'; accepted: file:///dir, /abs/dir, s3://bucket/path, gs://bucket/path, abfss://container@account/path");
    }

    private String v(ConfigKey key) {
        return values.get(key.path());
    }

    private String require(ConfigKey key) {
        String value = v(key);
        if (value == null || value.isEmpty()) {
            throw new ConfigException(key.path() + ": must not be empty (" + key.description() + ")");
        }
        return value;
    }

    private long number(ConfigKey key, long min, long max) {
        String value = require(key);
        try {
            long n = Long.parseLong(value);
            if (n < min || n > max) {
                throw bad(key, value, "an integer from " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, value, "an integer from " + min + " to " + max);
        }
    }

    /** The value of a key naming a secret file, checked readable now so a wrong mount fails the start; "" when unset. */
    private String readableFile(ConfigKey key) {
        String value = v(key);
        if (!value.isEmpty() && !(Files.isRegularFile(Path.of(value)) && Files.isReadable(Path.of(value)))) {
            throw new ConfigException(key.path() + ": file '" + value + "' (from " + origin(key)
                    + ") does not exist or is not readable (" + key.description() + ")");
        }
        return value;
    }

    /** The value of a key naming a directory of secret files, checked to exist now; "" when unset. */
    private String directory(ConfigKey key) {
        String value = v(key);
        if (!value.isEmpty() && !Files.isDirectory(Path.of(value))) {
            throw new ConfigException(key.path() + ": '" + value + "' (from " + origin(key) + ") is not a directory ("
                    + key.description() + ")");
        }
        return value;
    }

    /** {@code true} or {@code false}, exactly: a typo such as {@code yes} or {@code ture} must not mean false. */
    private boolean bool(ConfigKey key) {
        String value = v(key);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, value, "true or false");
        };
    }

    /**
     * An absolute http(s) URL with a host and no user information, or {@code ""} when unset. A value
     * with an {@code @} is not repeated in the message: it may hold a password.
     */
    private String httpUrl(ConfigKey key) {
        String value = v(key);
        if (value.isEmpty()) {
            return value;
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() != null
                    && uri.getScheme().matches("https?")
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw bad(
                key,
                value.contains("@") ? "<not shown: contains @>" : value,
                "an absolute http:// or https:// URL with a host and no user information");
    }

    private ConfigException bad(ConfigKey key, String value, String accepted) {
        return new ConfigException(
                key.path() + ": invalid value '" + value + "' (from " + origin(key) + "); accepted: " + accepted);
    }

    private static String acceptedSections() {
        return ConfigKeys.ALL.stream().map(ConfigKey::section).distinct().collect(Collectors.joining(", "))
                + ", warehouses.<name>";
    }

    private static String firstLine(String s) {
        return Optional.ofNullable(s).map(m -> m.lines().findFirst().orElse("")).orElse("");
    }

    /** A commented TOML file listing every key with its default: the output of {@code generate-config}. */
    public static String commentedTemplate() {
        StringBuilder out = new StringBuilder();
        out.append("# Floe catalog configuration. Every key is shown with its default.\n")
                .append(
                        "# Precedence: command-line flags > FLOE_<SECTION>_<KEY> environment variables > this file > defaults.\n");
        String section = "";
        for (ConfigKey key : ConfigKeys.ALL) {
            if (!key.section().equals(section)) {
                section = key.section();
                out.append("\n[").append(section).append("]\n");
            }
            out.append("# ").append(key.description());
            if (!key.accepted().isEmpty()) {
                out.append(" (one of: ")
                        .append(String.join(", ", key.accepted()))
                        .append(')');
            }
            out.append(" — env ").append(key.envName()).append('\n');
            boolean bare = key.defaultValue().matches("[0-9]+(\\.[0-9]+)?|true|false");
            String value = bare ? key.defaultValue() : '"' + key.defaultValue() + '"';
            out.append(key.defaultValue().isEmpty() ? "# " : "")
                    .append(key.name())
                    .append(" = ")
                    .append(value)
                    .append('\n');
        }
        out.append("\n# More warehouses, each served under its own prefix (/v1/<name>/…):\n")
                .append("# [warehouses.analytics]\n# location = \"s3://bucket/analytics\"\n");
        return out.toString();
    }
}
