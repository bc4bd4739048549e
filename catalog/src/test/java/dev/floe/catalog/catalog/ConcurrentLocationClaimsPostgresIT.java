package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.testing.EmbeddedPostgresServer;
import dev.floe.catalog.testing.TestSealers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two catalog replicas (two stores with their own connection pools, two FloeCatalogs) on one real
 * PostgreSQL create tables at nested locations at the same moment: of each group, whose locations
 * all overlap (each inside the previous one), exactly one may be created, and every other create
 * gets the 403 {@link ForbiddenException} a single replica answers, leaving no metadata file behind.
 * Without a lock across replicas both replicas' checks pass before either row is written.
 */
class ConcurrentLocationClaimsPostgresIT {

    private static final int ROUNDS = 15;
    private static final int CREATES_PER_ROUND = 6;
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
    void overlappingCreatesOnTwoReplicasLetExactlyOneWin() throws Exception {
        String database = postgres.newDatabase();
        Path warehouse = dir.resolve("warehouse");
        ExecutorService pool = Executors.newFixedThreadPool(CREATES_PER_ROUND);
        try (MetadataStore storeA = MetadataStore.open(database, TestSealers.scrambling());
                MetadataStore storeB = MetadataStore.open(database, TestSealers.scrambling());
                FloeCatalog replicaA = KitCatalogs.create(storeA, "main", warehouse, "a", Map.of());
                FloeCatalog replicaB = KitCatalogs.create(storeB, "main", warehouse, "b", Map.of())) {
            Namespace ns = Namespace.of("db");
            replicaA.createNamespace(ns);
            String nsLocation = replicaA.warehouseLocation() + "/db";
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> creates = new ArrayList<>();
                List<Path> locations = new ArrayList<>();
                for (int i = 0; i < CREATES_PER_ROUND; i++) {
                    FloeCatalog replica = i % 2 == 0 ? replicaA : replicaB;
                    // r<round>/a, r<round>/a/a, …: each contains the next, so every pair overlaps
                    String location = nsLocation + "/r" + round + "/a" + "/a".repeat(i);
                    locations.add(warehouse.resolve("db/r" + round + "/a" + "/a".repeat(i)));
                    TableIdentifier id = TableIdentifier.of(ns, "r" + round + "_" + i);
                    creates.add(pool.submit(() -> {
                        start.await();
                        try {
                            replica.buildTable(id, SCHEMA)
                                    .withLocation(location)
                                    .create();
                            return true;
                        } catch (ForbiddenException e) {
                            assertThat(e).hasMessageContaining("overlaps the location of another table");
                            return false;
                        }
                    }));
                }
                start.countDown();
                List<Integer> winners = new ArrayList<>();
                for (int i = 0; i < CREATES_PER_ROUND; i++) {
                    if (creates.get(i).get(2, TimeUnit.MINUTES)) {
                        winners.add(i);
                    }
                }
                assertThat(winners).as("creates that won round %d", round).hasSize(1);
                for (int i = 0; i < CREATES_PER_ROUND; i++) {
                    TableIdentifier id = TableIdentifier.of(ns, "r" + round + "_" + i);
                    boolean won = winners.contains(i);
                    assertThat(replicaA.tableExists(id)).isEqualTo(won);
                    assertThat(replicaB.tableExists(id)).isEqualTo(won);
                    if (!won) {
                        assertThat(metadataFiles(locations.get(i)))
                                .as("files of a refused create")
                                .isEmpty();
                    }
                }
            }
            assertThat(replicaB.listTables(ns)).hasSize(ROUNDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Path> metadataFiles(Path tableLocation) throws Exception {
        Path metadata = tableLocation.resolve("metadata");
        if (!Files.isDirectory(metadata)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(metadata)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
