package dev.floe.catalog.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFile;

/**
 * What an engine does with a table's files, through the FileIO the catalog configured for it: writes
 * a data file, appends it (manifest and manifest list written by the client), reloads the table,
 * plans a scan (manifests read by the client) and reads the file back, asserting each step.
 *
 * @param loaded the table as reloaded after the append
 * @param file   the data file's location
 */
public record ClientAppend(Table loaded, String file) {

    private static final String CONTENT = "not really parquet";

    public static ClientAppend run(Catalog catalog, TableIdentifier id, Table table) throws IOException {
        OutputFile out = table.io().newOutputFile(table.location() + "/data/00000.bin");
        try (OutputStream stream = out.create()) {
            stream.write(CONTENT.getBytes(StandardCharsets.UTF_8));
        }
        DataFile file = DataFiles.builder(PartitionSpec.unpartitioned())
                .withPath(out.location())
                .withFileSizeInBytes(CONTENT.length())
                .withRecordCount(1)
                .withFormat("parquet")
                .build();
        table.newAppend().appendFile(file).commit();

        Table loaded = catalog.loadTable(id);
        try (CloseableIterable<FileScanTask> tasks = loaded.newScan().planFiles()) {
            assertThat(tasks).extracting(t -> t.file().location()).containsExactly(out.location());
        }
        assertThat(new String(
                        loaded.io().newInputFile(out.location()).newStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo(CONTENT);
        return new ClientAppend(loaded, out.location());
    }
}
