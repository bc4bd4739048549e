package dev.floe.catalog.catalog;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * The catalog's default {@code io-impl}: routes each location by scheme. Local locations
 * ({@code file:} or a plain path) go to {@link LocalFileIO}; {@code s3://} to iceberg-aws
 * {@code S3FileIO}, {@code gs://} to iceberg-gcp {@code GCSFileIO}, {@code abfs(s)://}/{@code wasb(s)://}
 * to iceberg-azure {@code ADLSFileIO}, each loaded on first use. Iceberg's own
 * {@code ResolvingFileIO} does the same but cannot even be loaded without Hadoop on the class path.
 */
public class FloeFileIO implements FileIO {

    private static final Map<String, String> IMPLEMENTATIONS = Map.of(
            "s3", "org.apache.iceberg.aws.s3.S3FileIO",
            "s3a", "org.apache.iceberg.aws.s3.S3FileIO",
            "s3n", "org.apache.iceberg.aws.s3.S3FileIO",
            "gs", "org.apache.iceberg.gcp.gcs.GCSFileIO",
            "abfs", "org.apache.iceberg.azure.adlsv2.ADLSFileIO",
            "abfss", "org.apache.iceberg.azure.adlsv2.ADLSFileIO",
            "wasb", "org.apache.iceberg.azure.adlsv2.ADLSFileIO",
            "wasbs", "org.apache.iceberg.azure.adlsv2.ADLSFileIO");

    private final LocalFileIO local = new LocalFileIO();
    private final Map<String, FileIO> remote = new ConcurrentHashMap<>();
    private Map<String, String> properties = Map.of();

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
        if (LocalFileIO.isLocal(location)) {
            return local;
        }
        String scheme = location.substring(0, location.indexOf(':')).toLowerCase(Locale.ROOT);
        String impl = IMPLEMENTATIONS.get(scheme);
        if (impl == null) {
            throw new IllegalArgumentException("Unsupported storage scheme '" + scheme + "' in location; supported: file, "
                    + String.join(", ", IMPLEMENTATIONS.keySet()));
        }
        return remote.computeIfAbsent(impl, name -> CatalogUtil.loadFileIO(name, properties, null));
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

    @Override
    public void close() {
        remote.values().forEach(FileIO::close);
        local.close();
    }
}
