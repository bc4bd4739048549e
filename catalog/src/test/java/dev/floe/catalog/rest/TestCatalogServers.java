package dev.floe.catalog.rest;

import dev.floe.catalog.config.ConfigKey;
import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.security.ApiKeyCredential;
import dev.floe.catalog.server.DevMasterKey;
import dev.floe.catalog.server.FloeServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.rest.RESTCatalog;

/** Starts real catalog servers on a free loopback port for tests, and Iceberg REST clients for them. */
public final class TestCatalogServers {

    private TestCatalogServers() {}

    /** A server whose metadata store is {@code storageUrl} and whose warehouse is under {@code dir}. */
    public static FloeServer start(Path dir, String storageUrl) {
        return start(dir, storageUrl, Map.of());
    }

    /** As {@link #start(Path, String)}, with extra Micronaut properties (e.g. {@code floe.idempotency.*}). */
    public static FloeServer start(Path dir, String storageUrl, Map<String, Object> extraProperties) {
        FloeConfig config = devConfig(dir, storageUrl);
        return FloeServer.start(config, withoutAuthentication(config, dir, extraProperties));
    }

    /**
     * A server with an embedded SQLite store in {@code dir} that takes Micronaut's environment-variable
     * settings (e.g. {@code FLOE_IDEMPOTENCY_*}) from {@code environment}, not from this JVM's.
     */
    public static FloeServer startSqliteWithEnvironment(Path dir, Map<String, String> environment) {
        FloeConfig config = devConfig(dir, dir.resolve("db").toUri().toString());
        return FloeServer.startWithEnvironment(config, withoutAuthentication(config, dir, Map.of()), environment);
    }

    private static Map<String, Object> withoutAuthentication(
            FloeConfig config, Path dir, Map<String, Object> extraProperties) {
        // These tests are about catalog semantics: authentication is covered by the security ITs.
        Map<String, Object> properties = new HashMap<>(extraProperties);
        properties.put("floe.dev.key-ring-file", devKeyRing(config, dir).toString());
        properties.put("floe.auth.enabled", false);
        return properties;
    }

    /**
     * A dev server with authentication on, bootstrapped with a fresh admin API key that is also
     * written to {@code dir/admin.key} (for the CLI's {@code --api-key-file}).
     */
    public static AdminServer startWithAdmin(Path dir, String storageUrl) throws IOException {
        return startWithAdmin(dir, storageUrl, Map.of());
    }

    /** As {@link #startWithAdmin(Path, String)}, with extra Micronaut properties. */
    public static AdminServer startWithAdmin(Path dir, String storageUrl, Map<String, Object> extraProperties)
            throws IOException {
        FloeConfig config = devConfig(dir, storageUrl);
        Path ring = devKeyRing(config, dir);
        ApiKeyCredential admin = ApiKeyCredential.generate();
        Path adminKeyFile = Files.writeString(dir.resolve("admin.key"), admin.token());
        Map<String, Object> properties = new HashMap<>(extraProperties);
        properties.put("floe.dev.key-ring-file", ring.toString());
        properties.put("floe.auth.bootstrap-admin-key-file", adminKeyFile.toString());
        return new AdminServer(FloeServer.start(config, properties), admin, adminKeyFile, ring);
    }

    /**
     * A server started by {@link #startWithAdmin}; closing it stops the server.
     *
     * @param server       the running server
     * @param admin        the bootstrap admin's API key
     * @param adminKeyFile the file holding {@code admin}'s token
     * @param keyRing      the development master key ring file (tests append versions to rotate)
     */
    public record AdminServer(FloeServer server, ApiKeyCredential admin, Path adminKeyFile, Path keyRing)
            implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    private static FloeConfig devConfig(Path dir, String storageUrl) {
        return devLoader(dir, storageUrl).load();
    }

    private static ConfigLoader devLoader(Path dir, String storageUrl) {
        return new ConfigLoader()
                .flag(ConfigKeys.SERVER_HOST, "test", "127.0.0.1")
                .flag(ConfigKeys.SERVER_PORT, "test", 0)
                .flag(ConfigKeys.STORAGE_URL, "test", storageUrl)
                .flag(
                        ConfigKeys.WAREHOUSE_LOCATION,
                        "test",
                        dir.resolve("warehouse").toUri().toString())
                .dev(true);
    }

    /** --dev: a development master key ring is created in the test's directory. */
    private static Path devKeyRing(FloeConfig config, Path dir) {
        return DevMasterKey.keyRingFile(config, Map.of(), dir.resolve("keys")).orElseThrow();
    }

    /**
     * A server with an embedded SQLite store in {@code dir/db} whose configuration keys are set as by
     * flags from {@code settings} (e.g. another {@code warehouse.location}), over the test defaults.
     */
    public static FloeServer startSqlite(Path dir, Map<ConfigKey, String> settings) {
        ConfigLoader loader = devLoader(dir, dir.resolve("db").toUri().toString());
        settings.forEach((key, value) -> loader.flag(key, "test", value));
        FloeConfig config = loader.load();
        return FloeServer.start(config, withoutAuthentication(config, dir, Map.of()));
    }

    /** A server with an embedded SQLite store in {@code dir}. */
    public static FloeServer startSqlite(Path dir) {
        return start(dir, dir.resolve("db").toUri().toString());
    }

    /** A server on a fresh database of the shared embedded PostgreSQL. */
    public static FloeServer startPostgres(Path dir) {
        return start(dir, SharedPostgres.get().newDatabase());
    }

    /** As {@link #startPostgres(Path)}, with configuration keys set as by flags from {@code settings}. */
    public static FloeServer startPostgres(Path dir, Map<ConfigKey, String> settings) {
        ConfigLoader loader = devLoader(dir, SharedPostgres.get().newDatabase());
        settings.forEach((key, value) -> loader.flag(key, "test", value));
        FloeConfig config = loader.load();
        return FloeServer.start(config, withoutAuthentication(config, dir, Map.of()));
    }

    /** Iceberg's own REST client pointed at {@code server}. */
    public static RESTCatalog client(FloeServer server, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>();
        properties.put(CatalogProperties.URI, server.uri().toString());
        properties.putAll(extra);
        RESTCatalog catalog = new RESTCatalog();
        catalog.initialize("floe-test", properties);
        return catalog;
    }
}
