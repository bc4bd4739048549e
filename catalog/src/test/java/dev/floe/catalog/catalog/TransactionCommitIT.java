package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.store.CatalogObject;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.TestSealers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FloeCatalog#commitTransaction}: changes to several tables land all together or not at all (SQLite). */
class TransactionCommitIT {

    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    private static final Namespace NS = Namespace.of("sales");
    private static final TableIdentifier ORDERS = TableIdentifier.of(NS, "orders");
    private static final TableIdentifier ITEMS = TableIdentifier.of(NS, "items");

    @TempDir
    Path dir;

    private MetadataStore store;
    private FloeCatalog catalog;

    /** The store under test: SQLite here, PostgreSQL in {@link PostgresTransactionCommitIT}. */
    protected MetadataStore openStore(Path dir) {
        return MetadataStore.open(StorageUrl.sqliteIn(dir.resolve("db")), TestSealers.scrambling());
    }

    @BeforeEach
    void open() {
        store = openStore(dir);
        catalog = KitCatalogs.create(store, "main", dir.resolve("warehouse"), "floe", Map.of());
        catalog.createNamespace(NS);
        catalog.createTable(ORDERS, SCHEMA);
        catalog.createTable(ITEMS, SCHEMA);
    }

    @AfterEach
    void close() throws IOException {
        catalog.close();
        store.close();
    }

    @Test
    void commitsChangesToTwoTablesTogether() {
        Table orders = catalog.loadTable(ORDERS);
        Table items = catalog.loadTable(ITEMS);

        catalog.commitTransaction(List.of(
                change(
                        ORDERS,
                        new UpdateRequirement.AssertTableUUID(orders.uuid().toString()),
                        Map.of("owner", "a")),
                change(ITEMS, new UpdateRequirement.AssertTableUUID(items.uuid().toString()), Map.of("owner", "b"))));

        assertThat(catalog.loadTable(ORDERS).properties()).containsEntry("owner", "a");
        assertThat(catalog.loadTable(ITEMS).properties()).containsEntry("owner", "b");
        assertThat(row(ORDERS).version()).isEqualTo(2);
        assertThat(row(ITEMS).version()).isEqualTo(2);
    }

    @Test
    void rejectsTheWholeTransactionWhenOneRequirementFails() {
        Table orders = catalog.loadTable(ORDERS);
        CatalogObject ordersBefore = row(ORDERS);
        CatalogObject itemsBefore = row(ITEMS);

        assertThatThrownBy(() -> catalog.commitTransaction(List.of(
                        change(
                                ORDERS,
                                new UpdateRequirement.AssertTableUUID(
                                        orders.uuid().toString()),
                                Map.of("owner", "a")),
                        change(
                                ITEMS,
                                new UpdateRequirement.AssertTableUUID(
                                        UUID.randomUUID().toString()),
                                Map.of("owner", "b")))))
                .isInstanceOf(CommitFailedException.class)
                .hasMessageContaining("UUID does not match");

        assertThat(row(ORDERS)).isEqualTo(ordersBefore);
        assertThat(row(ITEMS)).isEqualTo(itemsBefore);
        assertThat(catalog.loadTable(ORDERS).properties()).doesNotContainKey("owner");
    }

    @Test
    void rollsBackAnAppliedSwapWhenALaterTableFailsInsideTheDatabaseTransaction() throws IOException {
        // the create of a table in a missing namespace passes validation (the table does not exist),
        // so ORDERS' compare-and-swap is applied first and must be rolled back with it
        CatalogObject ordersBefore = row(ORDERS);
        long metadataFilesBefore = metadataFiles();
        TableIdentifier orphan = TableIdentifier.of(Namespace.of("missing"), "t");

        assertThatThrownBy(() -> catalog.commitTransaction(
                        List.of(change(ORDERS, null, Map.of("owner", "a")), createRequest(orphan))))
                .isInstanceOf(NoSuchNamespaceException.class);

        assertThat(row(ORDERS)).as("ORDERS rolled back").isEqualTo(ordersBefore);
        assertThat(catalog.loadTable(ORDERS).properties()).doesNotContainKey("owner");
        assertThat(catalog.tableExists(orphan)).isFalse();
        assertThat(metadataFiles()).as("uncommitted metadata files removed").isEqualTo(metadataFilesBefore);
    }

    @Test
    void createsATableInsideATransaction() {
        TableIdentifier created = TableIdentifier.of(NS, "returns");

        catalog.commitTransaction(List.of(change(ORDERS, null, Map.of("owner", "a")), createRequest(created)));

        assertThat(catalog.loadTable(created).schema().asStruct()).isEqualTo(SCHEMA.asStruct());
        assertThat(catalog.loadTable(ORDERS).properties()).containsEntry("owner", "a");
    }

    @Test
    void failsForAMissingTable() {
        assertThatThrownBy(() -> catalog.commitTransaction(List.of(
                        change(ORDERS, null, Map.of("owner", "a")),
                        change(TableIdentifier.of(NS, "nope"), null, Map.of("owner", "b")))))
                .isInstanceOf(NoSuchTableException.class);
        assertThat(catalog.loadTable(ORDERS).properties()).doesNotContainKey("owner");
    }

    @Test
    void rejectsTheSameTableTwiceAndAnEmptyTransaction() {
        assertThatThrownBy(() -> catalog.commitTransaction(
                        List.of(change(ORDERS, null, Map.of("a", "1")), change(ORDERS, null, Map.of("b", "2")))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalog.commitTransaction(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private CatalogObject row(TableIdentifier id) {
        return store.objects()
                .find("main", List.of(id.namespace().levels()), id.name())
                .orElseThrow();
    }

    private long metadataFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("warehouse"))) {
            return files.filter(p -> p.toString().endsWith(".metadata.json")).count();
        }
    }

    private static UpdateTableRequest change(
            TableIdentifier id, UpdateRequirement requirement, Map<String, String> props) {
        return UpdateTableRequest.create(
                id,
                requirement == null ? List.of() : List.of(requirement),
                List.of(new MetadataUpdate.SetProperties(props)));
    }

    private UpdateTableRequest createRequest(TableIdentifier id) {
        String location = dir.resolve("warehouse").toUri()
                + String.join("/", id.namespace().levels()) + "/" + id.name();
        return UpdateTableRequest.create(
                id,
                List.of(new UpdateRequirement.AssertTableDoesNotExist()),
                List.of(
                        new MetadataUpdate.AssignUUID(UUID.randomUUID().toString()),
                        new MetadataUpdate.UpgradeFormatVersion(2),
                        new MetadataUpdate.AddSchema(SCHEMA),
                        new MetadataUpdate.SetCurrentSchema(-1),
                        new MetadataUpdate.AddPartitionSpec(org.apache.iceberg.PartitionSpec.unpartitioned()),
                        new MetadataUpdate.SetDefaultPartitionSpec(-1),
                        new MetadataUpdate.AddSortOrder(org.apache.iceberg.SortOrder.unsorted()),
                        new MetadataUpdate.SetDefaultSortOrder(-1),
                        new MetadataUpdate.SetLocation(location)));
    }
}
