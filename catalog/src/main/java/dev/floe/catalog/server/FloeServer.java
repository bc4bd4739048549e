package dev.floe.catalog.server;

import dev.floe.catalog.config.FloeConfig;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The running catalog: a Micronaut application context with its Netty HTTP server, started from a
 * validated {@link FloeConfig}. Used by {@code floe serve}, the integration tests and the benchmark.
 */
public final class FloeServer implements AutoCloseable {

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private FloeServer(ApplicationContext context) {
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
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
        return start(config, extraProperties, builder -> { }, singletons);
    }

    /**
     * As {@link #start(FloeConfig, Map)}, but Micronaut reads its settings that come from environment
     * variables (e.g. {@code FLOE_IDEMPOTENCY_LIFETIME}) from {@code environment} instead of the
     * process environment, with the same name mapping: a test cannot set this JVM's own variables.
     */
    public static FloeServer startWithEnvironment(FloeConfig config, Map<String, Object> extraProperties,
            Map<String, String> environment) {
        PropertySource variables = PropertySource.of(EnvironmentPropertySource.NAME, new HashMap<>(environment),
                PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE);
        return start(config, extraProperties,
                builder -> builder.environmentPropertySource(false).propertySources(variables));
    }

    private static FloeServer start(FloeConfig config, Map<String, Object> extraProperties,
            Consumer<ApplicationContextBuilder> customizer, Object... singletons) {
        Map<String, Object> properties = new HashMap<>(extraProperties);
        properties.put("micronaut.server.host", config.server().host());
        properties.put("micronaut.server.port", config.server().port() == 0 ? -1 : config.server().port());
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
                    ? config.storage().directory() : java.nio.file.Path.of(".floe").toAbsolutePath();
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
            return new FloeServer(context);
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

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
        context.close();
    }
}
