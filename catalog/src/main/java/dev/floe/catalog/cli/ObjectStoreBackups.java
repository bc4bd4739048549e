package dev.floe.catalog.cli;

import dev.floe.catalog.catalog.FloeFileIO;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * Backup archives in an object store directory ({@code s3://bucket/prefix}), named as in
 * {@link BackupDirectory}, written, listed, pruned and read through the catalog's own FileIO with
 * the warehouse's S3 settings and credentials ({@code [warehouse] s3_*}, {@code credentials_dir}):
 * a backup beside the tables needs no credentials of its own. An S3 object is visible only once its
 * upload has completed; a backup that fails after its upload began deletes the object, and
 * {@code floe restore} verifies every archive before it writes anything anyway.
 */
final class ObjectStoreBackups implements AutoCloseable {

    private final String directory;
    private final FloeFileIO io;

    ObjectStoreBackups(String directory, Map<String, String> fileIoProperties) {
        if (!isObjectStore(directory)) {
            throw new IllegalArgumentException("not an s3:// location: " + directory);
        }
        this.directory = directory.endsWith("/") ? directory.substring(0, directory.length() - 1) : directory;
        this.io = new FloeFileIO();
        io.initialize(fileIoProperties);
    }

    /** Whether a backup target or archive is in an object store rather than a file system. */
    static boolean isObjectStore(String location) {
        return location.startsWith("s3://");
    }

    String newArchive(Instant now) {
        return directory + "/" + BackupDirectory.archiveName(now);
    }

    /** What writes an archive's bytes (the store's backup). */
    interface ArchiveWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Uploads a new archive at {@code location} (which must not exist) and returns its size in bytes. */
    long write(String location, ArchiveWriter writer) throws IOException {
        if (io.newInputFile(location).exists()) {
            throw new IllegalStateException(location + " already exists");
        }
        try {
            try (PositionOutputStream out = io.newOutputFile(location).create()) {
                writer.writeTo(out);
            }
            return io.newInputFile(location).getLength();
        } catch (RuntimeException | IOException e) {
            // Closing the stream completed the upload of whatever was written: no partial archive may stay.
            try {
                io.deleteFile(location);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Deletes all but the newest {@code keep} archives directly in the directory; returns what it deleted. */
    List<String> prune(int keep) {
        List<String> archives = new ArrayList<>();
        for (FileInfo file : io.listPrefix(directory + "/")) {
            String name = file.location().substring(directory.length() + 1);
            if (!name.contains("/") && BackupDirectory.isArchiveName(name)) {
                archives.add(file.location());
            }
        }
        archives.sort(null); // names sort by time
        List<String> removed = new ArrayList<>(archives.subList(0, Math.max(0, archives.size() - keep)));
        removed.forEach(io::deleteFile);
        return removed;
    }

    /** Copies the archive at {@code location} to a local file, for {@code floe restore} (which reads a ZIP file). */
    static void download(String location, Map<String, String> fileIoProperties, Path target) throws IOException {
        try (FloeFileIO io = new FloeFileIO()) {
            io.initialize(fileIoProperties);
            try (InputStream in = io.newInputFile(location).newStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Override
    public void close() {
        io.close();
    }
}
