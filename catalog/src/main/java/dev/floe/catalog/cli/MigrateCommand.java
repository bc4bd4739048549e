package dev.floe.catalog.cli;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code floe migrate}: applies every pending schema migration of a metadata store, contract
 * migrations included, then exits. {@code floe serve} applies only expand-only migrations at start
 * (older replicas keep serving on them); contract migrations wait for this command, which an
 * operator runs (e.g. as a Job) once every replica runs this release. It reads the storage the way
 * {@code floe serve} does ({@link StoreOptions}): {@code --storage}, the TOML file (credentials
 * files included), {@code FLOE_STORAGE_*} variables.
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Apply every pending schema migration (contract migrations too) and exit. "
                + "Run it once no older catalog serves on the store.")
public final class MigrateCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store = new StoreOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StorageUrl url = store.resolve(System.getenv());
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
