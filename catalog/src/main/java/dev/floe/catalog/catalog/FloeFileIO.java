package dev.floe.catalog.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.DelegateFileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog's default {@code io-impl}: routes each location by scheme. Local locations
 * ({@code file:} or a plain path) go to {@link LocalFileIO}; {@code s3://} to iceberg-aws
 * {@code S3FileIO}, {@code gs://} to iceberg-gcp {@code GCSFileIO}, {@code abfs(s)://}/{@code wasb(s)://}
 * to iceberg-azure {@code ADLSFileIO}, each loaded on first use. Iceberg's own
 * {@code ResolvingFileIO} does the same but cannot even be loaded without Hadoop on the class path.
 * Bulk deletes and prefix listing/deletion are forwarded to the delegate when it supports them (all
 * of the above do), so purging a table on an object store is batched rather than one request per
 * file; a delegate without bulk deletes gets one delete per file. ADLS files are deleted one by one
 * too: see {@link #deleteFiles}.
 */
public class FloeFileIO implements DelegateFileIO {

    private static final Logger LOG = LoggerFactory.getLogger(FloeFileIO.class);
    private static final String ADLS = "org.apache.iceberg.azure.adlsv2.ADLSFileIO";
    private static final Map<String, String> IMPLEMENTATIONS = Map.of(
            "s3",
            "org.apache.iceberg.aws.s3.S3FileIO",
            "s3a",
            "org.apache.iceberg.aws.s3.S3FileIO",
            "s3n",
            "org.apache.iceberg.aws.s3.S3FileIO",
            "gs",
            "org.apache.iceberg.gcp.gcs.GCSFileIO",
            "abfs",
            ADLS,
            "abfss",
            ADLS,
            "wasb",
            ADLS,
            "wasbs",
            ADLS);

    private final LocalFileIO local = new LocalFileIO();
    private final Map<String, FileIO> remote = new ConcurrentHashMap<>();
    private final BiFunction<String, Map<String, String>, FileIO> loader;
    private Map<String, String> properties = Map.of();

    public FloeFileIO() {
        this((impl, props) -> CatalogUtil.loadFileIO(impl, props, null));
    }

    /** For tests: {@code loader} builds the delegate for an implementation class name. */
    FloeFileIO(BiFunction<String, Map<String, String>, FileIO> loader) {
        this.loader = loader;
    }

    @Override
    public void initialize(Map<String, String> props) {
        this.properties = Map.copyOf(props);
        local.initialize(props);
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }

    private FileIO io(String location) {
        String impl = implementation(location);
        return impl == null ? local : remote.computeIfAbsent(impl, name -> loader.apply(name, properties));
    }

    /** The delegate's class name for a location; null for a local one. */
    private static String implementation(String location) {
        if (LocalFileIO.isLocal(location)) {
            return null;
        }
        String scheme = location.substring(0, location.indexOf(':')).toLowerCase(Locale.ROOT);
        String impl = IMPLEMENTATIONS.get(scheme);
        if (impl == null) {
            throw new IllegalArgumentException("Unsupported storage scheme '" + scheme
                    + "' in location; supported: file, " + String.join(", ", IMPLEMENTATIONS.keySet()));
        }
        return impl;
    }

    @Override
    public InputFile newInputFile(String location) {
        return io(location).newInputFile(location);
    }

    @Override
    public InputFile newInputFile(String location, long length) {
        return io(location).newInputFile(location, length);
    }

    @Override
    public OutputFile newOutputFile(String location) {
        return io(location).newOutputFile(location);
    }

    @Override
    public void deleteFile(String location) {
        io(location).deleteFile(location);
    }

    /**
     * Deletes the files in groups by delegate, each group in one bulk call when the delegate
     * supports it; every file is attempted, and the failures are reported together.
     *
     * <p>Not ADLSFileIO's bulk call: it is no batch, only single deletes run on Iceberg's shared
     * worker pool, and the purge ({@code CatalogUtil.dropTableData}) calls it from tasks on that same
     * pool. With as many manifests as pool threads (one per core), every thread waits for deletes
     * queued behind it and the purge never ends. One by one on the caller's thread cannot deadlock.
     */
    @Override
    public void deleteFiles(Iterable<String> pathsToDelete) throws BulkDeletionFailureException {
        Map<String, List<String>> byImplementation = new LinkedHashMap<>();
        for (String path : pathsToDelete) {
            byImplementation
                    .computeIfAbsent(implementation(path), impl -> new ArrayList<>())
                    .add(path);
        }
        int failures = 0;
        for (Map.Entry<String, List<String>> group : byImplementation.entrySet()) {
            FileIO io = io(group.getValue().get(0));
            if (io instanceof SupportsBulkOperations bulk && !ADLS.equals(group.getKey())) {
                try {
                    bulk.deleteFiles(group.getValue());
                } catch (BulkDeletionFailureException e) {
                    failures += e.numberFailedObjects();
                }
                continue;
            }
            for (String path : group.getValue()) {
                try {
                    io.deleteFile(path);
                } catch (RuntimeException e) {
                    failures++;
                    LOG.warn("Cannot delete a file: {}", e.toString());
                }
            }
        }
        if (failures > 0) {
            throw new BulkDeletionFailureException(failures);
        }
    }

    @Override
    public Iterable<FileInfo> listPrefix(String prefix) {
        return prefixOperations(prefix).listPrefix(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
        prefixOperations(prefix).deletePrefix(prefix);
    }

    private SupportsPrefixOperations prefixOperations(String prefix) {
        FileIO io = io(prefix);
        if (io instanceof SupportsPrefixOperations prefixes) {
            return prefixes;
        }
        throw new UnsupportedOperationException(
                "Prefix operations are not supported by " + io.getClass().getSimpleName() + " for this location");
    }

    @Override
    public void close() {
        remote.values().forEach(FileIO::close);
        local.close();
    }
}
