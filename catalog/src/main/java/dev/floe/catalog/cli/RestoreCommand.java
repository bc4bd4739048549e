package dev.floe.catalog.cli;

import dev.floe.catalog.store.BackupManifest;
import dev.floe.catalog.store.StoreRestore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code floe restore}: verifies a backup archive and restores it into an empty metadata store
 * (SQLite or PostgreSQL, whichever the archive came from). No catalog may run on the store; start
 * {@code floe serve} on it afterwards with the same KMS key, which unwraps the restored data keys.
 */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = "Verify a backup archive and restore it into an empty metadata store.")
public final class RestoreCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(
            names = "--input",
            required = true,
            description =
                    "The backup archive (floe-backup-….zip): a path, or "
                            + "s3://bucket/prefix/floe-backup-….zip (read with --config's [warehouse] S3 settings and credentials).")
    String input;

    @Option(
            names = "--verify-only",
            description = "Only check the archive (manifest, SHA-256, row counts); write nothing.")
    boolean verifyOnly;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!ObjectStoreBackups.isObjectStore(input)) {
            return restore(Path.of(input));
        }
        // the archive is a ZIP read by entry: a local copy (in the temporary directory) first
        Path copy = Files.createTempFile("floe-restore-", ".zip");
        try {
            ObjectStoreBackups.download(input, store.objectStoreProperties(System.getenv()), copy);
            return restore(copy);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private int restore(Path archive) {
        PrintWriter out = spec.commandLine().getOut();
        BackupManifest manifest;
        if (verifyOnly) {
            manifest = StoreRestore.verify(archive);
            out.printf(
                    "floe: %s is a complete backup: schema version %s, written by floe %s at %s, %d rows%n",
                    input,
                    manifest.schemaVersion(),
                    manifest.catalogVersion(),
                    manifest.createdAt(),
                    manifest.totalRows());
        } else {
            var url = store.resolve(System.getenv());
            manifest = new StoreRestore(url).restore(archive);
            out.printf(
                    "floe: restored %s into %s: schema version %s, written by floe %s at %s, %d rows%n",
                    input,
                    url,
                    manifest.schemaVersion(),
                    manifest.catalogVersion(),
                    manifest.createdAt(),
                    manifest.totalRows());
        }
        out.flush();
        return 0;
    }
}
