package dev.floe.catalog.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory of backup archives named {@code floe-backup-<UTC time>.zip}: names sort by time, so
 * retention keeps the last names. Other files in the directory are never touched.
 */
final class BackupDirectory {

    static final String PREFIX = "floe-backup-";
    static final String SUFFIX = ".zip";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;

    BackupDirectory(Path directory) {
        this.directory = directory.toAbsolutePath();
    }

    Path newArchive(Instant now) {
        return directory.resolve(archiveName(now));
    }

    /** {@code floe-backup-<UTC time>.zip}: also the name of archives in an object store ({@link ObjectStoreBackups}). */
    static String archiveName(Instant now) {
        return PREFIX + TIME.format(now) + SUFFIX;
    }

    static boolean isArchiveName(String name) {
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    /** Deletes all but the newest {@code keep} archives; returns what it deleted. */
    List<Path> prune(int keep) throws IOException {
        List<Path> archives;
        try (Stream<Path> files = Files.list(directory)) {
            archives = files.filter(p -> {
                        return isArchiveName(p.getFileName().toString()) && Files.isRegularFile(p);
                    })
                    .sorted()
                    .toList();
        }
        List<Path> removed = new ArrayList<>();
        for (Path old : archives.subList(0, Math.max(0, archives.size() - keep))) {
            Files.deleteIfExists(old);
            removed.add(old);
        }
        return removed;
    }
}
