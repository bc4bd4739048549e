package dev.floe.catalog.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.DelegateFileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Defence in depth under {@link LocationConfinement}: a FileIO that refuses, with 403, every path
 * outside its roots before the delegate sees it. The catalog's own FileIO reads and writes only
 * inside its warehouse; a purge reads inside the warehouse but deletes only inside the dropped
 * table's location. So even a location that slipped past the checks (a row stored before them, a
 * manifest list an engine wrote) cannot make the catalog touch its database, its keys or another
 * tenant's files.
 */
public final class ConfinedFileIO implements DelegateFileIO {

    private final FileIO delegate;
    private final StorageLocation readRoot;
    private final StorageLocation writeRoot;

    /**
     * @param delegate  the FileIO doing the work (not closed by a purge-scoped copy, see {@link #forPurge})
     * @param readRoot  files may be read only inside this location
     * @param writeRoot files may be written and deleted only inside this location
     */
    public ConfinedFileIO(FileIO delegate, StorageLocation readRoot, StorageLocation writeRoot) {
        this.delegate = delegate;
        this.readRoot = readRoot;
        this.writeRoot = writeRoot;
    }

    /** This FileIO narrowed for purging one table: deletes only inside {@code tableLocation}. */
    public ConfinedFileIO forPurge(StorageLocation tableLocation) {
        return new ConfinedFileIO(delegate, readRoot, tableLocation);
    }

    private static void require(StorageLocation root, String path, String action) {
        StorageLocation parsed;
        try {
            parsed = StorageLocation.parse(path);
        } catch (BadRequestException e) {
            throw new ForbiddenException("Cannot %s a file at a malformed location", action);
        }
        if (!root.contains(parsed)) {
            // the path is not repeated: it may come from stored metadata rather than the caller
            throw new ForbiddenException("Cannot %s a file outside the permitted location", action);
        }
    }

    @Override
    public InputFile newInputFile(String path) {
        require(readRoot, path, "read");
        return delegate.newInputFile(path);
    }

    @Override
    public InputFile newInputFile(String path, long length) {
        require(readRoot, path, "read");
        return delegate.newInputFile(path, length);
    }

    @Override
    public OutputFile newOutputFile(String path) {
        require(writeRoot, path, "write");
        return delegate.newOutputFile(path);
    }

    @Override
    public void deleteFile(String path) {
        require(writeRoot, path, "delete");
        delegate.deleteFile(path);
    }

    /** Deletes the permitted files; the others count as failures, so none is deleted silently. */
    @Override
    public void deleteFiles(Iterable<String> paths) throws BulkDeletionFailureException {
        List<String> permitted = new ArrayList<>();
        int refused = 0;
        for (String path : paths) {
            try {
                require(writeRoot, path, "delete");
                permitted.add(path);
            } catch (ForbiddenException e) {
                refused++;
            }
        }
        int failed = 0;
        if (delegate instanceof SupportsBulkOperations bulk) {
            try {
                bulk.deleteFiles(permitted);
            } catch (BulkDeletionFailureException e) {
                failed = e.numberFailedObjects();
            }
        } else {
            for (String path : permitted) {
                try {
                    delegate.deleteFile(path);
                } catch (RuntimeException e) {
                    failed++;
                }
            }
        }
        if (refused + failed > 0) {
            throw new BulkDeletionFailureException(refused + failed);
        }
    }

    @Override
    public Iterable<FileInfo> listPrefix(String prefix) {
        require(readRoot, prefix, "list");
        return prefixes().listPrefix(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
        require(writeRoot, prefix, "delete");
        prefixes().deletePrefix(prefix);
    }

    private SupportsPrefixOperations prefixes() {
        if (delegate instanceof SupportsPrefixOperations prefixes) {
            return prefixes;
        }
        throw new UnsupportedOperationException("Prefix operations are not supported by the storage of this location");
    }

    @Override
    public Map<String, String> properties() {
        return delegate.properties();
    }

    @Override
    public void initialize(Map<String, String> properties) {
        delegate.initialize(properties);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
