package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.DelegateFileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloeFileIOTest {

    @TempDir
    Path dir;

    @Test
    void deletesInBulkAndListsAndDeletesByPrefixOnLocalFiles() throws Exception {
        Path table = Files.createDirectories(dir.resolve("t/metadata"));
        Files.writeString(table.resolve("a.json"), "aa");
        Files.writeString(table.resolve("b.json"), "bbb");
        Files.writeString(Files.createDirectories(dir.resolve("t/data")).resolve("c.parquet"), "c");
        String prefix = dir.resolve("t").toUri().toString();
        try (FloeFileIO io = new FloeFileIO()) {
            io.initialize(Map.of());
            List<FileInfo> listed = StreamSupport.stream(io.listPrefix(prefix).spliterator(), false)
                    .toList();
            assertThat(listed)
                    .extracting(FileInfo::location)
                    .containsExactlyInAnyOrder(
                            prefix + "metadata/a.json", prefix + "metadata/b.json", prefix + "data/c.parquet");
            assertThat(listed)
                    .filteredOn(f -> f.location().endsWith("b.json"))
                    .extracting(FileInfo::size)
                    .containsExactly(3L);

            io.deleteFiles(List.of(prefix + "metadata/a.json", prefix + "metadata/b.json"));
            assertThat(table.resolve("a.json")).doesNotExist();
            assertThat(table.resolve("b.json")).doesNotExist();

            io.deletePrefix(prefix);
            assertThat(dir.resolve("t")).doesNotExist();
            assertThat(io.listPrefix(prefix)).isEmpty();
        }
    }

    @Test
    void forwardsBulkDeletesAndPrefixOperationsToAStubS3Delegate() throws Exception {
        RecordingBulkIO s3 = new RecordingBulkIO();
        Path local = Files.writeString(dir.resolve("local.json"), "x");
        try (FloeFileIO io = new FloeFileIO((impl, props) -> s3)) {
            io.initialize(Map.of());
            io.deleteFiles(List.of("s3://bucket/t/1.avro", local.toUri().toString(), "s3://bucket/t/2.avro"));
            assertThat(s3.bulkDeletes).containsExactly(List.of("s3://bucket/t/1.avro", "s3://bucket/t/2.avro"));
            assertThat(s3.singleDeletes).isEmpty();
            assertThat(local).doesNotExist();

            assertThat(io.listPrefix("s3://bucket/t/"))
                    .extracting(FileInfo::location)
                    .containsExactly("s3://bucket/t/x");
            io.deletePrefix("s3://bucket/t/");
            assertThat(s3.deletedPrefixes).containsExactly("s3://bucket/t/");
        }
    }

    /** ADLSFileIO's bulk delete runs on the worker pool that the purge's own tasks hold: see FloeFileIO. */
    @Test
    void deletesAdlsFilesOneByOneOnTheCallersThreadEvenWhenTheDelegateHasBulkDeletes() {
        RecordingBulkIO adls = new RecordingBulkIO();
        try (FloeFileIO io = new FloeFileIO((impl, props) -> adls)) {
            io.initialize(Map.of());
            io.deleteFiles(
                    List.of("abfss://c@a.dfs.core.windows.net/t/1.avro", "wasbs://c@a.blob.core.windows.net/t/2"));
            assertThat(adls.bulkDeletes).isEmpty();
            assertThat(adls.singleDeletes)
                    .containsExactly(
                            "abfss://c@a.dfs.core.windows.net/t/1.avro", "wasbs://c@a.blob.core.windows.net/t/2");
        }
    }

    @Test
    void deletesOneByOneAndRefusesPrefixOperationsWhenAStubDelegateLacksThem() {
        RecordingPlainIO s3 = new RecordingPlainIO();
        try (FloeFileIO io = new FloeFileIO((impl, props) -> s3)) {
            io.initialize(Map.of());
            s3.failOn = "s3://bucket/bad";
            assertThatThrownBy(() -> io.deleteFiles(List.of("s3://bucket/1", "s3://bucket/bad", "s3://bucket/2")))
                    .isInstanceOf(BulkDeletionFailureException.class)
                    .satisfies(e -> assertThat(((BulkDeletionFailureException) e).numberFailedObjects())
                            .isEqualTo(1));
            assertThat(s3.singleDeletes).containsExactly("s3://bucket/1", "s3://bucket/2");
            assertThatThrownBy(() -> io.listPrefix("s3://bucket/")).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    /** Stands in for S3FileIO (bulk and prefix operations), recording what it is asked to do. */
    private static final class RecordingBulkIO implements DelegateFileIO {
        final List<List<String>> bulkDeletes = new ArrayList<>();
        final List<String> singleDeletes = new ArrayList<>();
        final List<String> deletedPrefixes = new ArrayList<>();

        @Override
        public void deleteFiles(Iterable<String> paths) {
            List<String> batch = new ArrayList<>();
            paths.forEach(batch::add);
            bulkDeletes.add(batch);
        }

        @Override
        public Iterable<FileInfo> listPrefix(String prefix) {
            return List.of(new FileInfo(prefix + "x", 1, 0));
        }

        @Override
        public void deletePrefix(String prefix) {
            deletedPrefixes.add(prefix);
        }

        @Override
        public InputFile newInputFile(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OutputFile newOutputFile(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteFile(String path) {
            singleDeletes.add(path);
        }
    }

    /** Stands in for a FileIO with single deletes only. */
    private static final class RecordingPlainIO implements FileIO {
        final List<String> singleDeletes = new ArrayList<>();
        String failOn;

        @Override
        public InputFile newInputFile(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OutputFile newOutputFile(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteFile(String path) {
            if (path.equals(failOn)) {
                throw new IllegalStateException("cannot delete");
            }
            singleDeletes.add(path);
        }
    }
}
