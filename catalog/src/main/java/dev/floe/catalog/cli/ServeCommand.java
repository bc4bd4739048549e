package dev.floe.catalog.cli;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.config.StorageSettings;
import dev.floe.catalog.security.ClientAddresses;
import dev.floe.catalog.security.SecuritySettings;
import dev.floe.catalog.security.SecurityStartup;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.store.SchemaNotServableException;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.contract.CatalogCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code floe serve}: validates the configuration, starts the REST catalog and runs until stopped. */
@Command(
        name = CatalogCommand.SERVE,
        mixinStandardHelpOptions = true,
        description = "Start the Iceberg REST catalog server.")
public final class ServeCommand implements java.util.concurrent.Callable<Integer> {

    /** How often a replica that may not serve on the store's schema looks again. */
    static final java.time.Duration SCHEMA_RECHECK =
            java.time.Duration.ofSeconds(Long.getLong("floe.schema.recheck-seconds", 30));

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "TCP port (default 8181).")
    Integer port;

    @Option(
            names = "--management-port",
            description = "Serve /health/* and /metrics on this plain-HTTP port only " + "(default: on the API port).")
    Integer managementPort;

    @Option(
            names = "--storage",
            description = "Metadata store: file:///dir (SQLite) or jdbc:postgresql://… / postgresql://…")
    String storage;

    @Option(names = "--warehouse", description = "Base location of table files of the default warehouse.")
    String warehouse;

    @Option(names = CatalogCommand.CONFIG, description = "TOML configuration file.")
    Path config;

    @Option(names = "--dev", description = "Development mode: embedded storage under ./.floe/, loopback only.")
    boolean dev;

    @Option(
            names = CatalogCommand.TLS_CERT,
            description = "PEM certificate chain for HTTPS (reloaded when the file changes).")
    Path tlsCert;

    @Option(names = CatalogCommand.TLS_KEY, description = "PEM private key (PKCS#8 or PKCS#1, RSA or EC).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", description = "PEM CA bundle: require client certificates it signed (mTLS).")
    Path tlsClientCa;

    @Option(
            names = LogFormat.OPTION,
            paramLabel = "text|json",
            description =
                    "Log format on stderr: text (default) "
                            + "or json, one object per line; also FLOE_LOG_FORMAT. Lines written during a request carry its id.")
    String logFormat;

    @Option(names = "--insecure-http", description = "Serve plain HTTP without --dev (warned on every start).")
    boolean insecureHttp;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigLoader configLoader = loader();
        FloeConfig floeConfig = configLoader.load();
        PrintWriter out = spec.commandLine().getOut();
        if (floeConfig.storage().kind() == StorageSettings.Kind.SQLITE) {
            Files.createDirectories(floeConfig.storage().directory());
        }
        createLocalWarehouseDirs(floeConfig);
        SecurityStartup.Plan security;
        if (!dev && "false".equalsIgnoreCase(System.getProperty("floe.auth.enabled", "true"))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "floe serve: authentication cannot be switched off (floe.auth.enabled=false) outside --dev");
        }
        try {
            security = SecurityStartup.plan(new SecurityStartup.Options(
                    dev,
                    insecureHttp,
                    tlsCert != null ? tlsCert : configPath(configLoader, ConfigKeys.TLS_CERT, "FLOE_TLS_CERT"),
                    tlsKey != null ? tlsKey : configPath(configLoader, ConfigKeys.TLS_KEY, "FLOE_TLS_KEY"),
                    tlsClientCa != null
                            ? tlsClientCa
                            : configPath(configLoader, ConfigKeys.TLS_CLIENT_CA, "FLOE_TLS_CLIENT_CA"),
                    floeConfig.server().port(),
                    Path.of(".floe"),
                    System.getenv(SecuritySettings.BOOTSTRAP_ENV)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "floe serve: " + e.getMessage());
        }
        security.warnings().forEach(spec.commandLine().getErr()::println);
        spec.commandLine().getErr().flush();
        if (dev) {
            out.println("floe: development mode (" + (security.tls() ? "HTTPS" : "plain HTTP") + ", loopback only)");
            security.devAdminKey()
                    .ifPresent(
                            key -> out.println(
                                    "  admin key " + key
                                            + "   (kept in .floe/dev-admin.key; use it as PyIceberg token= or 'Authorization: Bearer')"));
            out.println("  storage   " + StorageUrl.parse(floeConfig.storage().url()));
            out.println("  warehouse " + floeConfig.warehouse().defaultName() + " -> "
                    + floeConfig.warehouse().defaultLocation());
        }
        java.util.Map<String, Object> properties = new java.util.HashMap<>(security.properties());
        String issuer = configLoader.value(ConfigKeys.AUTH_OIDC_ISSUER);
        if (!issuer.isBlank()) {
            String jwks = configLoader.value(ConfigKeys.AUTH_OIDC_JWKS_URI);
            properties.put("floe.auth.oidc.issuer", issuer);
            properties.put("floe.auth.oidc.audience", configLoader.value(ConfigKeys.AUTH_OIDC_AUDIENCE));
            properties.put("floe.auth.oidc.roles-claim", configLoader.value(ConfigKeys.AUTH_OIDC_ROLES_CLAIM));
            if (!jwks.isBlank()) {
                properties.put(
                        "floe.auth.oidc.jwks-uri", jwks); // else found through the issuer's OIDC discovery document
            }
        }
        properties.putAll(ClientAddresses.properties(configLoader));
        FloeServer server = startWhenSchemaServable(floeConfig, properties);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "floe-shutdown"));
        String uri = security.tls()
                ? server.uri().toString().replaceFirst("^http:", "https:")
                : server.uri().toString();
        out.println("floe: Iceberg REST catalog listening on " + uri + " (warehouse '"
                + floeConfig.warehouse().defaultName() + "')");
        if (floeConfig.server().hasManagementPort()) {
            out.println(
                    "floe: health and metrics on http://" + floeConfig.server().host() + ":"
                            + floeConfig.server().managementPort() + "/health/readiness and /metrics");
        }
        out.flush();
        stopped.await();
        return 0;
    }

    /**
     * Starts the server, or, while the store's schema is newer than this catalog accepts (a contract
     * migration for a later release was applied), waits without serving: no listener, so the replica
     * is not ready and the Service sends it nothing. Nothing is migrated or written meanwhile, so a
     * restart (the kubelet's, after the startup probe gives up) finds the same state. Exiting instead
     * would put the pod in a crash loop; serving would misread the schema.
     */
    private static FloeServer startWhenSchemaServable(FloeConfig config, java.util.Map<String, Object> properties)
            throws InterruptedException {
        while (true) {
            try {
                return FloeServer.start(config, properties);
            } catch (RuntimeException e) {
                SchemaNotServableException refusal = refusal(e);
                if (refusal == null) {
                    throw e;
                }
                LOG.error(
                        "floe serve: not serving: {}; checking again in {} s",
                        refusal.getMessage(),
                        SCHEMA_RECHECK.toSeconds());
                Thread.sleep(SCHEMA_RECHECK.toMillis());
            }
        }
    }

    /** The schema refusal behind a failed start (Micronaut wraps it in its bean creation exceptions), or null. */
    private static SchemaNotServableException refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SchemaNotServableException refusal) {
                return refusal;
            }
        }
        return null;
    }

    private static Path configPath(ConfigLoader loader, dev.floe.catalog.config.ConfigKey key, String env) {
        String value = loader.value(key);
        return value == null || value.isBlank() ? envPath(env) : Path.of(value);
    }

    private static Path envPath(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    ConfigLoader loader() {
        ConfigLoader loader = new ConfigLoader().dev(dev);
        if (config != null) {
            loader.file(config);
        }
        loader.environment(System.getenv());
        return loader.flag(ConfigKeys.SERVER_HOST, "--host", host)
                .flag(ConfigKeys.SERVER_PORT, "--port", port)
                .flag(ConfigKeys.SERVER_MANAGEMENT_PORT, "--management-port", managementPort)
                .flag(ConfigKeys.STORAGE_URL, "--storage", storage)
                .flag(ConfigKeys.WAREHOUSE_LOCATION, "--warehouse", warehouse);
    }

    private static void createLocalWarehouseDirs(FloeConfig config) throws IOException {
        for (String location : config.warehouse().locations().values()) {
            if (location.startsWith("file:")) {
                Files.createDirectories(Path.of(java.net.URI.create(location)));
            }
        }
    }
}
