package dev.floe.catalog.catalog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * Writes local files so that they are on disk, not only in the page cache, once their stream is
 * closed: the file's data is forced, then the directory that names it (and every directory created
 * for it). Iceberg closes a metadata file's stream before the catalog moves the table's pointer to
 * it, so a pointer that survives a power loss never names a file that did not.
 */
final class DurableLocalFiles {

    /** The two fsyncs a durable write needs; tests record them. */
    interface Fsync {
        /** Forces {@code channel}'s data and metadata (the file at {@code path}) to the device. */
        void file(Path path, FileChannel channel) throws IOException;

        /** Forces {@code directory}'s entries (a new or renamed name in it) to the device. */
        void directory(Path directory) throws IOException;

        Fsync REAL = new Fsync() {
            @Override
            public void file(Path path, FileChannel channel) throws IOException {
                channel.force(true);
            }

            @Override
            public void directory(Path directory) throws IOException {
                // Linux and macOS fsync a directory opened for reading
                try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                    dir.force(true);
                }
            }
        };
    }

    private final Fsync fsync;

    DurableLocalFiles(Fsync fsync) {
        this.fsync = fsync;
    }

    /** Creates {@code directory} and any missing parents, each made durable in its own parent. */
    void createDirectories(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath();
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            return; // another writer created it (and syncs its parent)
        }
        if (parent != null) {
            fsync.directory(parent);
        }
    }

    /**
     * A stream to {@code path}; {@code overwrite} false fails when the file exists, as Iceberg's
     * {@code OutputFile.create()} must.
     */
    PositionOutputStream open(Path path, String location, boolean overwrite) {
        try {
            createDirectories(path.toAbsolutePath().getParent());
            FileChannel channel = overwrite
                    ? FileChannel.open(
                            path,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)
                    : FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new Stream(path, channel);
        } catch (FileAlreadyExistsException e) {
            throw new AlreadyExistsException("File already exists: %s", location);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + location, e);
        }
    }

    /** Buffered writes to a channel, forced with its directory on close. */
    private final class Stream extends PositionOutputStream {
        private final Path path;
        private final FileChannel channel;
        private final OutputStream out;
        private long position;
        private boolean closed;

        Stream(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            position += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (channel) {
                out.flush();
                fsync.file(path, channel);
            }
            fsync.directory(path.toAbsolutePath().getParent());
        }
    }
}
