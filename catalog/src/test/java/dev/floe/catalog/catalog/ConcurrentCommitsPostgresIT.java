package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.testing.EmbeddedPostgresServer;
import dev.floe.catalog.testing.TestSealers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two catalog "processes" (two stores, two connection pools, two FloeCatalogs) on one real
 * PostgreSQL append to the same table from 8 threads: every commit that returned normally must be
 * in the final table history, and nothing else.
 */
class ConcurrentCommitsPostgresIT {

    private static final int THREADS = 8;
    private static final int COMMITS_PER_THREAD = 12;
    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

    private static EmbeddedPostgresServer postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void concurrentAppendsFromTwoCatalogsLoseNoAcknowledgedCommit() throws Exception {
        String database = postgres.newDatabase();
        try (MetadataStore storeA = MetadataStore.open(database, TestSealers.scrambling());
                MetadataStore storeB = MetadataStore.open(database, TestSealers.scrambling())) {
            appendConcurrentlyAndCheckHistory(storeA, storeB, dir);
        }
    }

    /** The scenario, shared with the SQLite variant: two stores on one database, 8 threads. */
    static void appendConcurrentlyAndCheckHistory(MetadataStore storeA, MetadataStore storeB, Path dir)
            throws Exception {
        {
            FloeCatalog catalogA = KitCatalogs.create(storeA, "main", dir, "a", Map.of());
            FloeCatalog catalogB = KitCatalogs.create(storeB, "main", dir, "b", Map.of());
            TableIdentifier id = TableIdentifier.of(Namespace.of("db"), "events");
            catalogA.createNamespace(id.namespace());
            catalogA.buildTable(id, SCHEMA)
                    .withProperty(TableProperties.COMMIT_NUM_RETRIES, "100")
                    .withProperty(TableProperties.COMMIT_MIN_RETRY_WAIT_MS, "5")
                    .withProperty(TableProperties.COMMIT_MAX_RETRY_WAIT_MS, "200")
                    .create();

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            List<Throwable> failures = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    FloeCatalog catalog = t % 2 == 0 ? catalogA : catalogB;
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < COMMITS_PER_THREAD; i++) {
                            String path = dir.resolve("data/t" + thread + "-" + i + ".parquet")
                                    .toString();
                            Table table = catalog.loadTable(id);
                            try {
                                table.newFastAppend().appendFile(dataFile(path)).commit();
                                acknowledged.add(path);
                            } catch (CommitFailedException e) {
                                // not acknowledged: allowed, but it must then be absent from the history
                                synchronized (failures) {
                                    failures.add(e);
                                }
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }

            Table table = catalogB.loadTable(id);
            Set<String> inTable = new HashSet<>();
            try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                tasks.forEach(task -> inTable.add(task.file().location()));
            }
            List<Snapshot> snapshots = new ArrayList<>();
            table.snapshots().forEach(snapshots::add);

            assertThat(acknowledged).as("commits acknowledged").isNotEmpty();
            assertThat(inTable)
                    .as("every acknowledged append and nothing else is in the table")
                    .isEqualTo(acknowledged);
            assertThat(snapshots).as("one snapshot per acknowledged commit").hasSize(acknowledged.size());
            assertThat(acknowledged.size() + failures.size()).isEqualTo(THREADS * COMMITS_PER_THREAD);
            System.out.printf(
                    "concurrent commits: %d acknowledged, %d gave up after retries%n",
                    acknowledged.size(), failures.size());
            catalogA.close();
            catalogB.close();
        }
    }

    private static DataFile dataFile(String path) {
        return DataFiles.builder(PartitionSpec.unpartitioned())
                .withPath(path)
                .withFileSizeInBytes(10)
                .withRecordCount(1)
                .build();
    }
}
