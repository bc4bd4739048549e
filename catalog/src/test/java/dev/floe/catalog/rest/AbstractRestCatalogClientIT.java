package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.server.FloeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.iceberg.BaseTransaction;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableCommit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Iceberg's Java {@link RESTCatalog} against our server over real HTTP: schema and partition
 * evolution, appends, concurrent commits, multi-table transactions, ETag/304, renames and
 * pagination. Subclasses choose the metadata store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractRestCatalogClientIT {

    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "category", Types.StringType.get()));

    private Path dir;
    private FloeServer server;
    private RESTCatalog catalog;

    abstract FloeServer startServer(Path dir);

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("floe-client-it");
        server = startServer(dir);
        catalog = TestCatalogServers.client(server, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        if (catalog != null) {
            catalog.close();
        }
        if (server != null) {
            server.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private Namespace namespace(String name) {
        Namespace ns = Namespace.of(name);
        catalog.createNamespace(ns, new java.util.HashMap<>(Map.of("owner", "it")));
        return ns;
    }

    private static DataFile dataFile(Table table, String name) {
        return DataFiles.builder(table.spec())
                .withPath(table.location() + "/data/" + name + ".parquet")
                .withFileSizeInBytes(1024)
                .withRecordCount(10)
                .withFormat(FileFormat.PARQUET)
                .build();
    }

    @Test
    void evolvesSchemaAndPartitionSpecAndAppendsFiles() {
        Namespace ns = namespace("evolve");
        TableIdentifier id = TableIdentifier.of(ns, "events");
        Table table = catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned());

        table.updateSchema().addColumn("ts", Types.TimestampType.withZone()).commit();
        table.updateSpec().addField("category").commit();
        table.newAppend().appendFile(dataFile(table, "a")).commit();
        table.newAppend().appendFile(dataFile(table, "b")).commit();

        Table reloaded = catalog.loadTable(id);
        assertThat(reloaded.schema().findField("ts")).isNotNull();
        assertThat(reloaded.spec().fields()).extracting(f -> f.name()).containsExactly("category");
        assertThat(reloaded.snapshots()).hasSize(2);
        assertThat(reloaded.currentSnapshot().summary()).containsEntry("total-data-files", "2");
    }

    @Test
    void concurrentCommitsFromEightThreadsLoseNothing() throws Exception {
        Namespace ns = namespace("concurrent");
        TableIdentifier id = TableIdentifier.of(ns, "hot");
        // generous client retries: under this contention the default 4 may run out
        catalog.createTable(
                id,
                SCHEMA,
                PartitionSpec.unpartitioned(),
                Map.of(
                        "commit.retry.num-retries",
                        "100",
                        "commit.retry.min-wait-ms",
                        "10",
                        "commit.retry.max-wait-ms",
                        "200"));
        int threads = 8;
        int commitsPerThread = 5;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                try (RESTCatalog client = TestCatalogServers.client(server, Map.of())) {
                    go.await();
                    for (int i = 0; i < commitsPerThread; i++) {
                        Table table = client.loadTable(id);
                        String name = "t" + thread + "-" + i;
                        table.newAppend().appendFile(dataFile(table, name)).commit();
                        acknowledged.add(table.location() + "/data/" + name + ".parquet");
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        Table table = catalog.loadTable(id);
        Set<String> inTable = StreamSupport.stream(table.newScan().planFiles().spliterator(), false)
                .map(task -> task.file().location())
                .collect(Collectors.toSet());
        assertThat(acknowledged).hasSize(threads * commitsPerThread);
        assertThat(inTable).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(table.snapshots()).hasSize(threads * commitsPerThread);
    }

    @Test
    void transactionAcrossTwoTablesCommitsBothOrNeither() {
        Namespace ns = namespace("tx");
        TableIdentifier a = TableIdentifier.of(ns, "a");
        TableIdentifier b = TableIdentifier.of(ns, "b");
        catalog.createTable(a, SCHEMA);
        catalog.createTable(b, SCHEMA);

        Table ta = catalog.loadTable(a);
        Table tb = catalog.loadTable(b);
        Transaction txA = ta.newTransaction();
        txA.newAppend().appendFile(dataFile(ta, "a1")).commit();
        Transaction txB = tb.newTransaction();
        txB.updateProperties().set("k", "v").commit();
        catalog.commitTransaction(commit(a, txA), commit(b, txB));

        assertThat(catalog.loadTable(a).snapshots()).hasSize(1);
        assertThat(catalog.loadTable(b).properties()).containsEntry("k", "v");

        // a stale transaction on b (its main branch moved meanwhile) fails: neither table changes
        Table staleB = catalog.loadTable(b);
        Transaction staleTx = staleB.newTransaction();
        staleTx.newAppend().appendFile(dataFile(staleB, "stale")).commit();
        Table currentB = catalog.loadTable(b);
        currentB.newAppend().appendFile(dataFile(currentB, "newer")).commit();
        currentB.updateProperties().set("k", "newer").commit();
        Table freshA = catalog.loadTable(a);
        Transaction okTx = freshA.newTransaction();
        okTx.newAppend().appendFile(dataFile(freshA, "a2")).commit();
        assertThatThrownBy(() -> catalog.commitTransaction(commit(a, okTx), commit(b, staleTx)))
                .isInstanceOf(CommitFailedException.class);
        assertThat(catalog.loadTable(a).snapshots()).hasSize(1);
        assertThat(catalog.loadTable(b).properties()).containsEntry("k", "newer");
        assertThat(catalog.loadTable(b).snapshots()).hasSize(1);
    }

    /** The staged changes of a transaction as one table's part of a multi-table commit. */
    private static TableCommit commit(TableIdentifier id, Transaction tx) {
        BaseTransaction base = (BaseTransaction) tx;
        return TableCommit.create(id, base.startMetadata(), base.currentMetadata());
    }

    @Test
    void unchangedLoadAnswers304AndChangedLoadAnswers200() throws Exception {
        Namespace ns = namespace("etag");
        TableIdentifier id = TableIdentifier.of(ns, "t");
        catalog.createTable(id, SCHEMA);
        HttpClient http = HttpClient.newHttpClient();
        URI uri = server.uri().resolve("v1/default/namespaces/etag/tables/t");

        HttpResponse<String> first =
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = http.send(
                HttpRequest.newBuilder(uri).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        catalog.loadTable(id).updateProperties().set("changed", "yes").commit();
        HttpResponse<String> changed = http.send(
                HttpRequest.newBuilder(uri).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        assertThat(changed.body()).contains("\"changed\":\"yes\"");
    }

    @Test
    void renamesTableAcrossNamespaces() {
        Namespace from = namespace("rename_from");
        Namespace to = namespace("rename_to");
        TableIdentifier source = TableIdentifier.of(from, "t");
        TableIdentifier target = TableIdentifier.of(to, "t2");
        Table created = catalog.createTable(source, SCHEMA);
        created.newAppend().appendFile(dataFile(created, "x")).commit();

        catalog.renameTable(source, target);

        assertThat(catalog.tableExists(source)).isFalse();
        assertThat(catalog.loadTable(target).snapshots()).hasSize(1);
        assertThat(catalog.listTables(to)).containsExactly(target);
        assertThatThrownBy(() -> catalog.loadTable(source)).isInstanceOf(NoSuchTableException.class);
    }

    @Test
    void paginatesOverThousandTables() {
        Namespace ns = namespace("many");
        for (int i = 0; i < 1000; i++) {
            catalog.createTable(TableIdentifier.of(ns, String.format("t%04d", i)), SCHEMA);
        }
        try (RESTCatalog paged = TestCatalogServers.client(server, Map.of("rest-page-size", "77"))) {
            List<TableIdentifier> all = paged.listTables(ns);
            assertThat(all).hasSize(1000).doesNotHaveDuplicates();
            assertThat(all.get(0).name()).isEqualTo("t0000");
            assertThat(all.get(999).name()).isEqualTo("t0999");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
