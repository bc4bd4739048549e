package dev.floe.catalog.server;

import dev.floe.catalog.config.FloeConfig;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running catalog: a Micronaut application context with its Netty HTTP server, started from a
 * validated {@link FloeConfig}. Used by {@code floe serve}, the integration tests and the benchmark.
 */
public final class FloeServer implements AutoCloseable {

    /** How long requests in flight may take to finish at shutdown (Kubernetes allows 30 s in all). */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(FloeServer.class);

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final Duration shutdownDrain;

    private FloeServer(ApplicationContext context, Duration shutdownDrain) {
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
        this.shutdownDrain = shutdownDrain;
    }

    /** Starts the server; port 0 in the configuration picks a free port. */
    public static FloeServer start(FloeConfig config) {
        return start(config, Map.of());
    }

    /** Starts the server with extra Micronaut properties (tests: {@code floe.dev.key-dir}). */
    public static FloeServer start(FloeConfig config, Map<String, Object> extraProperties) {
        return start(config, extraProperties, new Object[0]);
    }

    /** As above, with extra singleton beans (tests: a {@link KmsEnvironment} holding a KMS token). */
    public static FloeServer start(FloeConfig config, Map<String, Object> extraProperties, Object... singletons) {
        return start(config, extraProperties, builder -> {}, singletons);
    }

    /**
     * As {@link #start(FloeConfig, Map)}, but Micronaut reads its settings that come from environment
     * variables (e.g. {@code FLOE_IDEMPOTENCY_LIFETIME}) from {@code environment} instead of the
     * process environment, with the same name mapping: a test cannot set this JVM's own variables.
     */
    public static FloeServer startWithEnvironment(
            FloeConfig config, Map<String, Object> extraProperties, Map<String, String> environment) {
        PropertySource variables = PropertySource.of(
                EnvironmentPropertySource.NAME,
                new HashMap<>(environment),
                PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE,
                PropertySource.Origin.of(EnvironmentPropertySource.NAME));
        return start(
                config,
                extraProperties,
                builder -> builder.environmentPropertySource(false).propertySources(variables));
    }

    private static FloeServer start(
            FloeConfig config,
            Map<String, Object> extraProperties,
            Consumer<ApplicationContextBuilder> customizer,
            Object... singletons) {
        Map<String, Object> properties = new HashMap<>(extraProperties);
        properties.put("micronaut.server.host", config.server().host());
        properties.put(
                "micronaut.server.port",
                config.server().port() == 0 ? -1 : config.server().port());
        properties.put("micronaut.server.max-request-size", config.server().maxRequestBytes());
        if (config.server().hasManagementPort()) {
            // Micronaut binds a plain-HTTP listener for the management endpoints on this port and serves them
            // only there; the API listener then answers 404 for /health and /metrics.
            properties.put("endpoints.all.port", config.server().managementPort());
            // a port of its own is not the public API: there, readiness may say which dependency is down
            properties.putIfAbsent("endpoints.health.details-visible", "ANONYMOUS");
        }
        if (!properties.containsKey("floe.dev.key-ring-file")) {
            java.nio.file.Path keyDir = config.storage().kind() == dev.floe.catalog.config.StorageSettings.Kind.SQLITE
                    ? config.storage().directory()
                    : java.nio.file.Path.of(".floe").toAbsolutePath();
            DevMasterKey.keyRingFile(config, System.getenv(), keyDir)
                    .ifPresent(file -> properties.put("floe.dev.key-ring-file", file.toString()));
        }
        ApplicationContextBuilder builder = ApplicationContext.builder()
                .deduceEnvironment(false)
                .banner(false)
                .properties(properties)
                .singletons(config)
                .singletons(singletons);
        customizer.accept(builder);
        ApplicationContext context = builder.start();
        try {
            context.getBean(EmbeddedServer.class).start();
            return new FloeServer(context, config.server().shutdownDrain());
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Base URI clients use, e.g. {@code http://127.0.0.1:8181/}. */
    public URI uri() {
        String host = server.getHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + server.getPort() + "/");
    }

    public ApplicationContext context() {
        return context;
    }

    /**
     * Stops the server the way a replica leaving a Service should: first, for the configured
     * shutdown drain, every answer says {@code Connection: close}, so clients in use leave on their
     * own ({@link ShutdownDrain}); then no new connections, the requests in flight finish (up to
     * {@link #SHUTDOWN_GRACE}), the remaining idle keep-alive connections are closed, and only then
     * does the server stop. A plain {@code stop()} cut requests in flight, which clients saw as
     * failed requests during every rolling update.
     */
    @Override
    public void close() {
        if (server.isRunning()) {
            if (!shutdownDrain.isZero()) {
                drain();
            }
            if (server instanceof GracefulShutdownCapable graceful) {
                shutDownGracefully(graceful);
            }
            server.stop();
        }
        context.close();
    }

    private void drain() {
        ShutdownDrain drain = context.getBean(ShutdownDrain.class);
        LOG.info(
                "stopping: answering with 'Connection: close' for up to {} s ({} connections open)",
                shutdownDrain.toSeconds(),
                drain.openConnections());
        try {
            drain.drain(shutdownDrain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void shutDownGracefully(GracefulShutdownCapable server) {
        try {
            server.shutdownGracefully().toCompletableFuture().get(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("graceful shutdown did not finish within {}: stopping anyway ({})", SHUTDOWN_GRACE, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
