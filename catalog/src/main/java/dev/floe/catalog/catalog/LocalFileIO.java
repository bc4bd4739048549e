package dev.floe.catalog.catalog;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.DelegateFileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * A {@link FileIO} for the local file system without Hadoop: iceberg-core has none (its
 * {@code HadoopFileIO} needs Hadoop on the class path, and {@code ResolvingFileIO} falls back to it
 * for {@code file:} locations). Accepts {@code file:/p}, {@code file:///p} and plain paths, and
 * creates parent directories on write. Also lists and deletes by prefix (a directory: the prefix
 * names a directory and everything under it) and deletes in bulk. Every file it writes is forced to
 * disk with its directory when its stream closes (see {@link DurableLocalFiles}).
 */
public class LocalFileIO implements DelegateFileIO {

    private final DurableLocalFiles files;
    private Map<String, String> properties = Map.of();

    public LocalFileIO() {
        this(DurableLocalFiles.Fsync.REAL);
    }

    /** With the given fsync calls (tests record them). */
    LocalFileIO(DurableLocalFiles.Fsync fsync) {
        this.files = new DurableLocalFiles(fsync);
    }

    @Override
    public void initialize(Map<String, String> props) {
        this.properties = Map.copyOf(props);
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public InputFile newInputFile(String location) {
        return new LocationPreservingInputFile(org.apache.iceberg.Files.localInput(toFile(location)), location);
    }

    /** Files written here are on disk with their directory entry once their stream closes. */
    @Override
    public OutputFile newOutputFile(String location) {
        return new DurableOutputFile(files, toFile(location), location);
    }

    @Override
    public void deleteFile(String location) {
        try {
            Files.delete(toFile(location).toPath());
        } catch (NoSuchFileException e) {
            // already gone: deleting is idempotent, as for object stores
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + location, e);
        }
    }

    @Override
    public void deleteFiles(Iterable<String> pathsToDelete) throws BulkDeletionFailureException {
        int failures = 0;
        for (String path : pathsToDelete) {
            try {
                deleteFile(path);
            } catch (RuntimeException e) {
                failures++;
            }
        }
        if (failures > 0) {
            throw new BulkDeletionFailureException(failures);
        }
    }

    /** The regular files under {@code prefix} (a directory, or a single file), in no particular order. */
    @Override
    public Iterable<FileInfo> listPrefix(String prefix) {
        Path root = toFile(prefix).toPath();
        if (!Files.exists(root)) {
            return List.of();
        }
        String base = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .map(p -> {
                        try {
                            String relative = root.relativize(p).toString().replace(File.separatorChar, '/');
                            String location = relative.isEmpty() ? base : base + "/" + relative;
                            return new FileInfo(
                                    location,
                                    Files.size(p),
                                    Files.getLastModifiedTime(p).toMillis());
                        } catch (IOException e) {
                            throw new UncheckedIOException("Cannot read attributes of " + p, e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + prefix, e);
        }
    }

    /** Deletes {@code prefix} (a directory with everything under it, or a single file). */
    @Override
    public void deletePrefix(String prefix) {
        Path root = toFile(prefix).toPath();
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + prefix, e);
        }
    }

    /** True when {@code location} names a local file ({@code file:} or no scheme). */
    public static boolean isLocal(String location) {
        return location.startsWith("file:")
                || location.startsWith("/")
                || !location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    }

    static File toFile(String location) {
        String path = location;
        if (path.startsWith("file://")) {
            path = path.substring("file://".length());
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("Unsupported file location with a host: " + location);
            }
        } else if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        return Path.of(path).toFile();
    }

    /**
     * An output file written through {@link DurableLocalFiles}; it keeps the caller's spelling of the
     * location ({@code file:/…}) so metadata files record the same form the warehouse was configured with.
     */
    private record DurableOutputFile(DurableLocalFiles files, File file, String location) implements OutputFile {
        @Override
        public org.apache.iceberg.io.PositionOutputStream create() {
            return files.open(file.toPath(), location, false);
        }

        @Override
        public org.apache.iceberg.io.PositionOutputStream createOrOverwrite() {
            return files.open(file.toPath(), location, true);
        }

        @Override
        public InputFile toInputFile() {
            return new LocationPreservingInputFile(org.apache.iceberg.Files.localInput(file), location);
        }
    }

    /** Keeps the caller's spelling of the location, as {@link DurableOutputFile} does. */
    private record LocationPreservingInputFile(InputFile delegate, String location) implements InputFile {
        @Override
        public long getLength() {
            return delegate.getLength();
        }

        @Override
        public org.apache.iceberg.io.SeekableInputStream newStream() {
            try {
                return delegate.newStream();
            } catch (NotFoundException e) {
                // name the location as the caller spelled it, like the other FileIOs do
                throw new NotFoundException(e, "Failed to open input stream for file: %s", location);
            }
        }

        @Override
        public boolean exists() {
            return delegate.exists();
        }
    }
}
