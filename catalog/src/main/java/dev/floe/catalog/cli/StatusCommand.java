package dev.floe.catalog.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code floe status}: what a data directory holds — namespace and table counts, schema version. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print namespace and table counts and the schema version of a data directory.")
public final class StatusCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--storage", description = "Metadata store URL (default file://./.floe).")
    String storage = "file://./.floe";

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("status needs the JDBC metadata store, which is not wired yet");
    }
}
