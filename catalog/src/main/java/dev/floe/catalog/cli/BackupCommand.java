package dev.floe.catalog.cli;

import dev.floe.catalog.store.BackupManifest;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.store.StoreBackup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code floe backup}: writes a consistent, online backup archive of a metadata store, rows copied
 * as stored (sealed values stay sealed, data keys stay wrapped), so it needs no master key. The
 * archive is written under a temporary name and renamed when complete: a file with the final name
 * is always a whole archive.
 */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = "Write a backup archive of a metadata store (online; sealed values are copied as stored).")
public final class BackupCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store = new StoreOptions();

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--output", description = "Archive file to write (must not exist).")
        Path file;

        @Option(
                names = "--output-dir",
                description =
                        "Directory to write floe-backup-<UTC time>.zip into: a path, or "
                                + "s3://bucket/prefix in the warehouse's object store (with --config's [warehouse] S3 settings and credentials).")
        String directory;
    }

    @Option(names = "--keep", description = "With --output-dir: keep only the newest N archives there (default: all).")
    Integer keep;

    @Option(
            names = "--report-file",
            description = "Also write the result as one JSON line to this file "
                    + "(e.g. /dev/termination-log, which the operator reads for the catalog's status).")
    Path reportFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Clock clock;

    public BackupCommand() {
        this(Clock.systemUTC());
    }

    BackupCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws IOException {
        if (keep != null && (keep < 1 || target.directory == null)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--keep needs --output-dir and a count of at least 1");
        }
        StorageUrl url = store.resolve(System.getenv());
        if (target.directory != null && ObjectStoreBackups.isObjectStore(target.directory)) {
            return backupToObjectStore(url);
        }
        BackupDirectory directory = target.directory == null ? null : new BackupDirectory(Path.of(target.directory));
        Path archive = directory == null ? target.file.toAbsolutePath() : directory.newArchive(clock.instant());
        if (Files.exists(archive)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "floe backup: " + archive + " already exists");
        }
        Files.createDirectories(archive.getParent());
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        BackupManifest manifest;
        try (OutputStream out = Files.newOutputStream(partial)) {
            manifest = new StoreBackup(url, FloeVersion.catalogVersion(), clock).writeTo(out);
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        try (var channel = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true); // on disk before the name says it is complete
        }
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        long size = Files.size(archive);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "floe: backup written to %s (%d bytes, schema version %s, %d rows: %s)%n",
                archive, size, manifest.schemaVersion(), manifest.totalRows(), rowCounts(manifest));
        if (directory != null && keep != null) {
            for (Path removed : directory.prune(keep)) {
                out.println("floe: removed old backup " + removed);
            }
        }
        out.flush();
        if (reportFile != null) {
            Files.writeString(
                    reportFile,
                    BackupReport.of(manifest, archive.toString(), size).toJsonLine());
        }
        return 0;
    }

    /** The same archive, uploaded to {@code s3://…}; pruned there with {@code --keep}. */
    private int backupToObjectStore(StorageUrl url) throws IOException {
        BackupManifest[] manifest = new BackupManifest[1];
        try (ObjectStoreBackups backups =
                new ObjectStoreBackups(target.directory, store.objectStoreProperties(System.getenv()))) {
            String archive = backups.newArchive(clock.instant());
            long size = backups.write(
                    archive,
                    out -> manifest[0] = new StoreBackup(url, FloeVersion.catalogVersion(), clock).writeTo(out));
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "floe: backup written to %s (%d bytes, schema version %s, %d rows: %s)%n",
                    archive, size, manifest[0].schemaVersion(), manifest[0].totalRows(), rowCounts(manifest[0]));
            if (keep != null) {
                for (String removed : backups.prune(keep)) {
                    out.println("floe: removed old backup " + removed);
                }
            }
            out.flush();
            if (reportFile != null) {
                Files.writeString(
                        reportFile, BackupReport.of(manifest[0], archive, size).toJsonLine());
            }
        }
        return 0;
    }

    private static String rowCounts(BackupManifest manifest) {
        return String.join(
                ", ",
                manifest.tables().stream().map(t -> t.name() + " " + t.rows()).toList());
    }
}
