package dev.floe.catalog.rest;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.server.FloeServer;
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
        FloeConfig config = new ConfigLoader()
                .flag(ConfigKeys.SERVER_HOST, "test", "127.0.0.1")
                .flag(ConfigKeys.SERVER_PORT, "test", 0)
                .flag(ConfigKeys.STORAGE_URL, "test", storageUrl)
                .flag(ConfigKeys.WAREHOUSE_LOCATION, "test", dir.resolve("warehouse").toUri().toString())
                .dev(true)
                .load();
        // --dev: a development master key ring is created in the test's directory
        java.nio.file.Path ring = dev.floe.catalog.server.DevMasterKey
                .keyRingFile(config, Map.of(), dir.resolve("keys")).orElseThrow();
        // These tests are about catalog semantics: authentication is covered by the security ITs.
        Map<String, Object> properties = new java.util.HashMap<>(extraProperties);
        properties.put("floe.dev.key-ring-file", ring.toString());
        properties.put("floe.auth.enabled", false);
        return FloeServer.start(config, properties);
    }

    /** A server with an embedded SQLite store in {@code dir}. */
    public static FloeServer startSqlite(Path dir) {
        return start(dir, dir.resolve("db").toUri().toString());
    }

    /** A server on a fresh database of the shared embedded PostgreSQL. */
    public static FloeServer startPostgres(Path dir) {
        return start(dir, SharedPostgres.get().newDatabase());
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
