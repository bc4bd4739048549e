package dev.floe.catalog.catalog;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * A {@link FileIO} for the local file system without Hadoop: iceberg-core has none (its
 * {@code HadoopFileIO} needs Hadoop on the class path, and {@code ResolvingFileIO} falls back to it
 * for {@code file:} locations). Accepts {@code file:/p}, {@code file:///p} and plain paths, and
 * creates parent directories on write.
 */
public class LocalFileIO implements FileIO {

    private Map<String, String> properties = Map.of();

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

    @Override
    public OutputFile newOutputFile(String location) {
        File file = toFile(location);
        try {
            Files.createDirectories(file.toPath().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create parent directory for " + location, e);
        }
        return new LocationPreservingOutputFile(org.apache.iceberg.Files.localOutput(file), location);
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

    /** True when {@code location} names a local file ({@code file:} or no scheme). */
    public static boolean isLocal(String location) {
        return location.startsWith("file:") || location.startsWith("/") || !location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
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
     * Keeps the caller's spelling of the location ({@code file:/…}) so metadata files record the
     * same form the warehouse was configured with.
     */
    private record LocationPreservingOutputFile(OutputFile delegate, String location) implements OutputFile {
        @Override
        public org.apache.iceberg.io.PositionOutputStream create() {
            return delegate.create();
        }

        @Override
        public org.apache.iceberg.io.PositionOutputStream createOrOverwrite() {
            return delegate.createOrOverwrite();
        }

        @Override
        public InputFile toInputFile() {
            return new LocationPreservingInputFile(delegate.toInputFile(), location);
        }
    }

    /** The input side of {@link LocationPreservingOutputFile}. */
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
