package dev.floe.catalog.cli;

import dev.floe.catalog.crypto.FieldSealer;
import dev.floe.catalog.crypto.SealContext;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.store.StoreStatistics;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floe status}: what a metadata store holds — namespace, table and view counts per
 * warehouse and the schema version. Counting needs no decryption, so no master key is required.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Print namespace, table and view counts and the schema version of a metadata store.")
public final class StatusCommand implements Callable<Integer> {

    @Option(
            names = "--storage",
            description = "Metadata store: file:///dir or a PostgreSQL URL (default file://./.floe).")
    String storage = "file://./.floe";

    @Option(names = "--warehouse-name", description = "Warehouse to count (default: default).")
    String warehouse = "default";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String url = storage.startsWith("file://./")
                ? "file://"
                        + java.nio.file.Path.of(storage.substring(7))
                                .toAbsolutePath()
                                .normalize()
                : storage;
        StorageUrl storageUrl = StorageUrl.parse(url).withCredentialsFrom(System.getenv());
        PrintWriter out = spec.commandLine().getOut();
        if (storageUrl.jdbcUrl().startsWith("jdbc:sqlite:")
                && !java.nio.file.Files.exists(
                        java.nio.file.Path.of(storageUrl.jdbcUrl().substring("jdbc:sqlite:".length())))) {
            spec.commandLine().getErr().println("floe: no metadata store at " + storageUrl);
            return 1;
        }
        try (MetadataStore store = MetadataStore.open(storageUrl, new RefusingSealer())) {
            StoreStatistics stats = store.statistics(warehouse);
            out.println("storage        " + storageUrl);
            out.println("schema version " + stats.schemaVersion());
            out.println("warehouse      " + warehouse);
            out.println("namespaces     " + stats.namespaces());
            out.println("tables         " + stats.tables());
            out.println("views          " + stats.views());
        }
        out.flush();
        return 0;
    }

    /** Status only counts rows; it never needs to open a sealed value. */
    private static final class RefusingSealer implements FieldSealer {
        @Override
        public byte[] seal(byte[] plaintext, SealContext context) {
            throw new IllegalStateException("floe status does not write");
        }

        @Override
        public byte[] open(byte[] sealed, SealContext context) {
            throw new IllegalStateException("floe status does not decrypt");
        }
    }
}
