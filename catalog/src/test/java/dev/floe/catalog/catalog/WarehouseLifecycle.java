package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;

/**
 * The life of a table on an object-store warehouse, driven through the Iceberg Java REST client and
 * checked against the storage server's own listing: create (the catalog writes the metadata file),
 * append (the client writes a data file, a manifest and a manifest list), scan, evolve the schema,
 * drop with purge (the catalog deletes every file).
 */
final class WarehouseLifecycle {

    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

    private WarehouseLifecycle() {}

    /**
     * @param root    the warehouse location, e.g. {@code gs://bucket/tenant}
     * @param listing object names under a key prefix (relative to the bucket or container)
     * @param rootKey the key prefix of {@code root} inside its bucket or container
     */
    static void run(RESTCatalog client, String root, String rootKey, Function<String, List<String>> listing)
            throws Exception {
        TableIdentifier id = TableIdentifier.of("sales", "orders");
        client.createNamespace(Namespace.of("sales"));
        Table table = client.createTable(id, SCHEMA);
        String tableKey = rootKey + "/sales/orders/";
        assertThat(table.location()).isEqualTo(root + "/sales/orders");
        String metadata = ((HasTableOperations) table).operations().current().metadataFileLocation();
        assertThat(listing.apply(tableKey))
                .as("the catalog wrote the first metadata file")
                .containsExactly(metadata.substring(metadata.indexOf(tableKey)));

        OutputFile out = table.io().newOutputFile(table.location() + "/data/00000.parquet");
        byte[] bytes = "not really parquet".getBytes(StandardCharsets.UTF_8);
        try (OutputStream stream = out.create()) {
            stream.write(bytes);
        }
        DataFile file = DataFiles.builder(PartitionSpec.unpartitioned())
                .withPath(out.location())
                .withFileSizeInBytes(bytes.length)
                .withRecordCount(1)
                .withFormat("parquet")
                .build();
        table.newAppend().appendFile(file).commit();

        Table loaded = client.loadTable(id);
        try (CloseableIterable<FileScanTask> tasks = loaded.newScan().planFiles()) {
            assertThat(tasks).extracting(t -> t.file().location()).containsExactly(out.location());
        }
        try (var in = loaded.io().newInputFile(out.location()).newStream()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }

        loaded.updateSchema().addColumn("note", Types.StringType.get()).commit();
        assertThat(client.loadTable(id).schema().findField("note")).isNotNull();
        List<String> files = listing.apply(tableKey);
        assertThat(files)
                .filteredOn(k -> k.endsWith(".metadata.json"))
                .as("create, append, evolve")
                .hasSize(3);
        assertThat(files)
                .filteredOn(k -> k.endsWith(".avro"))
                .as("manifest and manifest list")
                .hasSize(2);
        assertThat(files).contains(tableKey + "data/00000.parquet");

        assertThat(client.dropTable(id, true)).isTrue();
        assertThat(listing.apply(tableKey))
                .as("purge deleted every file of the table")
                .isEmpty();
    }
}
