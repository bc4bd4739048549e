package dev.floe.catalog.cli;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floe migrate}: applies every pending schema migration of a metadata store, contract
 * migrations included, then exits. {@code floe serve} applies only expand-only migrations at start
 * (older replicas keep serving on them); contract migrations wait for this command, which an
 * operator runs (e.g. as a Job) once every replica runs this release. It reads the storage the way
 * {@code floe serve} does: {@code --storage}, the TOML file, {@code FLOE_STORAGE_*} variables.
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Apply every pending schema migration (contract migrations too) and exit. "
                + "Run it once no older catalog serves on the store.")
public final class MigrateCommand implements Callable<Integer> {

    @Option(
            names = "--storage",
            description = "Metadata store: file:///dir or a PostgreSQL URL (default: from --config).")
    String storage;

    @Option(names = "--config", description = "TOML configuration file (as for floe serve).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigLoader loader = new ConfigLoader();
        if (config != null) {
            loader.file(config);
        }
        loader.environment(System.getenv()).flag(ConfigKeys.STORAGE_URL, "--storage", storage);
        String value = loader.value(ConfigKeys.STORAGE_URL);
        if (value.startsWith("file://./")) { // the relative default, as floe status reads it
            value = "file://"
                    + Path.of(value.substring("file://".length()))
                            .toAbsolutePath()
                            .normalize();
        }
        StorageUrl url = StorageUrl.parse(value).withCredentialsFrom(System.getenv());
        List<String> applied = MetadataStore.migrateAll(url);
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                applied.isEmpty()
                        ? "floe migrate: " + url + " is up to date"
                        : "floe migrate: applied migration(s) " + String.join(", ", applied) + " to " + url);
        out.flush();
        return 0;
    }
}
