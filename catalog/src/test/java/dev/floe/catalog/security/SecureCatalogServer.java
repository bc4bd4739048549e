package dev.floe.catalog.security;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.server.DevMasterKey;
import dev.floe.catalog.server.FloeServer;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real catalog server ({@link FloeServer}: REST controllers, security filters, metadata store
 * with envelope encryption under a development master key ring) on a random loopback port, with
 * authentication on, for security integration tests. Servers sharing a storage URL and key
 * directory act as replicas.
 */
final class SecureCatalogServer implements AutoCloseable {

    private final FloeServer server;

    private SecureCatalogServer(FloeServer server) {
        this.server = server;
    }

    /**
     * Starts a server.
     *
     * @param storage      storage URL (file:///dir or postgresql://…)
     * @param dir          directory for the warehouse and the master key ring (share it between replicas)
     * @param properties   extra Micronaut properties (security settings)
     */
    static SecureCatalogServer start(String storage, Path dir, Map<String, Object> properties) {
        return start(storage, dir, properties, null);
    }

    /** Starts a server whose health and metrics are on {@code managementPort} (null: on the API port). */
    static SecureCatalogServer start(String storage, Path dir, Map<String, Object> properties, Integer managementPort) {
        FloeConfig config = new ConfigLoader()
                .flag(ConfigKeys.SERVER_HOST, "test", "127.0.0.1")
                .flag(ConfigKeys.SERVER_PORT, "test", 0)
                .flag(ConfigKeys.SERVER_MANAGEMENT_PORT, "test", managementPort)
                .flag(ConfigKeys.STORAGE_URL, "test", storage)
                .flag(
                        ConfigKeys.WAREHOUSE_LOCATION,
                        "test",
                        dir.resolve("warehouse").toUri().toString())
                .dev(true)
                .load();
        Path ring =
                DevMasterKey.keyRingFile(config, Map.of(), dir.resolve("keys")).orElseThrow();
        Map<String, Object> props = new HashMap<>(properties);
        props.put("floe.dev.key-ring-file", ring.toString());
        props.put("floe.auth.enabled", true);
        return new SecureCatalogServer(FloeServer.start(config, props));
    }

    /** The master key ring file, whose content must never appear in logs. */
    static Path keyRing(Path dir) {
        return dir.resolve("keys");
    }

    URI uri() {
        return server.uri();
    }

    int port() {
        return server.port();
    }

    ApplicationContext context() {
        return server.context();
    }

    @Override
    public void close() {
        server.close();
    }
}
