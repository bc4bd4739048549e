package dev.floe.catalog.security;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.crypto.DataKeyCache;
import dev.floe.catalog.crypto.DataKeyRing;
import dev.floe.catalog.crypto.EnvelopeFieldSealer;
import dev.floe.catalog.crypto.FieldSealer;
import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real catalog server (REST controllers, security filters, metadata store with envelope
 * encryption under a local master key) on a random loopback port, for security integration tests.
 * Several instances over the same PostgreSQL database act as replicas.
 */
final class SecureCatalogServer implements AutoCloseable {

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final MetadataStore store;
    private final LocalKeyProvider provider;

    private SecureCatalogServer(ApplicationContext context, MetadataStore store, LocalKeyProvider provider) {
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
        this.store = store;
        this.provider = provider;
    }

    /**
     * Starts a server.
     *
     * @param storage        storage URL (file:///dir or postgresql://…)
     * @param warehouseDir   directory of the default warehouse
     * @param masterKeyB64   base64 256-bit master key (same for replicas)
     * @param properties     extra Micronaut properties (security settings)
     */
    static SecureCatalogServer start(String storage, Path warehouseDir, String masterKeyB64, Map<String, Object> properties) {
        FloeConfig config = new ConfigLoader()
                .flag(ConfigKeys.SERVER_HOST, "--host", "127.0.0.1")
                .flag(ConfigKeys.SERVER_PORT, "--port", 0)
                .flag(ConfigKeys.STORAGE_URL, "--storage", storage)
                .flag(ConfigKeys.WAREHOUSE_LOCATION, "--warehouse", warehouseDir.toUri().toString())
                .load();
        LocalKeyProvider provider = LocalKeyProvider.fromEnvironment("FLOE_TEST_MASTER_KEY",
                Map.of("FLOE_TEST_MASTER_KEY", masterKeyB64));
        AtomicReference<FieldSealer> sealer = new AtomicReference<>();
        MetadataStore store = MetadataStore.open(StorageUrl.parse(storage), dataSource -> {
            DataKeyRing ring = new DataKeyRing(new DataKeyRepository(dataSource), provider,
                    new DataKeyCache(16, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30));
            sealer.set(new EnvelopeFieldSealer(ring));
            return sealer.get();
        });
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.host", "127.0.0.1");
        props.put("micronaut.server.port", -1);
        props.putAll(properties);
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .banner(false)
                .properties(props)
                .singletons(config, store, sealer.get())
                .start();
        context.getBean(EmbeddedServer.class).start();
        return new SecureCatalogServer(context, store, provider);
    }

    URI uri() {
        return URI.create((server.getScheme()) + "://127.0.0.1:" + server.getPort() + "/");
    }

    int port() {
        return server.getPort();
    }

    ApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        server.stop();
        context.close();
        store.close();
        provider.close();
    }
}
