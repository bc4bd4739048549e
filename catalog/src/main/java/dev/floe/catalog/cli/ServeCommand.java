package dev.floe.catalog.cli;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.config.StorageSettings;
import dev.floe.catalog.server.DevAdminKey;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.store.StorageUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code floe serve}: validates the configuration, starts the REST catalog and runs until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the Iceberg REST catalog server.")
public final class ServeCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "TCP port (default 8181).")
    Integer port;

    @Option(names = "--storage", description = "Metadata store: file:///dir (SQLite) or jdbc:postgresql://… / postgresql://…")
    String storage;

    @Option(names = "--warehouse", description = "Base location of table files of the default warehouse.")
    String warehouse;

    @Option(names = "--config", description = "TOML configuration file.")
    Path config;

    @Option(names = "--dev", description = "Development mode: embedded storage under ./.floe/, loopback only.")
    boolean dev;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        FloeConfig floeConfig = loader().load();
        PrintWriter out = spec.commandLine().getOut();
        if (floeConfig.storage().kind() == StorageSettings.Kind.SQLITE) {
            Files.createDirectories(floeConfig.storage().directory());
        }
        createLocalWarehouseDirs(floeConfig);
        java.util.Map<String, Object> extra = new java.util.HashMap<>();
        if (dev) {
            out.println("floe: development mode (plain HTTP, loopback only)");
            out.println("  storage   " + StorageUrl.parse(floeConfig.storage().url()));
            out.println("  warehouse " + floeConfig.warehouse().defaultName() + " -> "
                    + floeConfig.warehouse().defaultLocation());
            if (System.getenv("FLOE_BOOTSTRAP_ADMIN_KEY_FILE") == null) {
                Path keyDir = floeConfig.storage().kind() == StorageSettings.Kind.SQLITE
                        ? floeConfig.storage().directory() : Path.of(".floe").toAbsolutePath();
                Path keyFile = DevAdminKey.ensure(keyDir);
                extra.put("floe.auth.bootstrap-admin-key-file", keyFile.toString());
                out.println("  admin key " + DevAdminKey.read(keyFile) + "  (in " + keyFile
                        + "; send it as 'Authorization: Bearer <key>', e.g. PyIceberg token=<key>)");
            }
        }
        FloeServer server = FloeServer.start(floeConfig, extra);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "floe-shutdown"));
        out.println("floe: Iceberg REST catalog listening on " + server.uri()
                + " (warehouse '" + floeConfig.warehouse().defaultName() + "')");
        out.flush();
        stopped.await();
        return 0;
    }

    ConfigLoader loader() {
        ConfigLoader loader = new ConfigLoader().dev(dev);
        if (config != null) {
            loader.file(config);
        }
        loader.environment(System.getenv());
        return loader
                .flag(ConfigKeys.SERVER_HOST, "--host", host)
                .flag(ConfigKeys.SERVER_PORT, "--port", port)
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
