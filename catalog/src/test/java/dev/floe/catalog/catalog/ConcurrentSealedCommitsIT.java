package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.kms.KmsCallPolicy;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.rest.IcebergErrors;
import dev.floe.catalog.server.EncryptionBeans;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.EmbeddedPostgresServer;
import dev.floe.catalog.testing.TestSealers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Concurrent commits on a store sealed by real envelope encryption (local KMS, the server's own
 * sealer wiring), on real SQLite and real PostgreSQL. A commit seals its new metadata pointer while
 * it holds a pooled connection, and sealing re-reads the active data key from the same database
 * once its refresh interval is over (30 s in the server; zero here, so every seal does). Under
 * load the bench saw commits answer 500 CommitStateUnknownException when that re-read waited for a
 * connection of a pool its own callers had exhausted. Every failure here must map to what a client
 * can act on: 409 (not applied, retry) or 503 (not applied, retry later), never a 500.
 */
class ConcurrentSealedCommitsIT {

    private static final int THREADS = 8;
    private static final int COMMITS_PER_THREAD = 25;
    /** Fewer connections than threads, as the server's SQLite pool (4) has under 16 bench threads. */
    private static final int POOL_SIZE = 2;

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

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void concurrentCommitsNeverAnswer500WhileSealingReReadsTheActiveDataKey(String database) throws Exception {
        StorageUrl url = database.equals("sqlite")
                ? StorageUrl.sqliteIn(dir.resolve("db"))
                : StorageUrl.parse(postgres.newDatabase());
        Path ring = dir.resolve("master-keys");
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        Files.writeString(ring, "1:" + Base64.getEncoder().encodeToString(masterKey) + "\n");
        EnvelopeEncryption encryption = new EnvelopeEncryption(
                new ResilientKeyProvider(LocalKeyProvider.fromKeyRingFile(ring), KmsCallPolicy.defaults()),
                new EnvelopeEncryption.Options(64, Duration.ofHours(1), Duration.ZERO, Duration.ZERO, 100),
                Clock.systemUTC());
        try (encryption;
                MetadataStore store = MetadataStore.open(
                        url, EncryptionBeans.sealerFactory(encryption), POOL_SIZE, Clock.systemUTC())) {
            FloeCatalog catalog = new FloeCatalog(store, "wh");
            catalog.initialize(
                    "floe",
                    Map.of(
                            CatalogProperties.WAREHOUSE_LOCATION,
                            dir.resolve("warehouse").toUri().toString()));
            Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
            catalog.createNamespace(Namespace.of("db"));
            List<TableIdentifier> tables = List.of(TableIdentifier.of("db", "a"), TableIdentifier.of("db", "b"));
            tables.forEach(id -> catalog.createTable(id, schema));

            AtomicInteger acknowledged = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Map<Integer, String> failuresByStatus = new ConcurrentHashMap<>();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < COMMITS_PER_THREAD && !stop.get(); i++) {
                            TableIdentifier id = tables.get((thread + i) % tables.size());
                            try {
                                catalog.loadTable(id)
                                        .updateProperties()
                                        .set("k", thread + "-" + i)
                                        .commit();
                                acknowledged.incrementAndGet();
                            } catch (RuntimeException e) {
                                int status = IcebergErrors.status(e);
                                failuresByStatus.putIfAbsent(status, e.toString());
                                // the first answer a client cannot act on fails the test: the others stop
                                // rather than each waiting out the pool's 30 s timeout too
                                stop.compareAndSet(false, status != 409 && status != 503);
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

            assertThat(failuresByStatus.keySet())
                    .as("HTTP status of each failed commit (first failure of each status: %s)", failuresByStatus)
                    .isSubsetOf(409, 503);
            assertThat(acknowledged.get()).as("commits acknowledged").isPositive();
        }
    }

    @Test
    void commitWhileAnotherConnectionHoldsTheSqliteWriteLockAnswers503AndIsNotApplied() throws Exception {
        StorageUrl url = StorageUrl.sqliteIn(dir.resolve("db"));
        try (MetadataStore store = MetadataStore.open(url, TestSealers.scrambling())) {
            FloeCatalog catalog = new FloeCatalog(store, "wh");
            catalog.initialize(
                    "floe",
                    Map.of(
                            CatalogProperties.WAREHOUSE_LOCATION,
                            dir.resolve("warehouse").toUri().toString()));
            TableIdentifier id = TableIdentifier.of("db", "t");
            catalog.createNamespace(id.namespace());
            catalog.createTable(id, new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
            Table table = catalog.loadTable(id);

            RuntimeException refused;
            try (Connection other = DriverManager.getConnection(url.jdbcUrl());
                    Statement statement = other.createStatement()) {
                // another process (a backup, a second catalog on the file) holds the write lock
                // for longer than the store's busy_timeout
                statement.execute("BEGIN IMMEDIATE");
                refused = catchThrowableOfType(
                        () -> table.updateProperties().set("k", "v").commit(), RuntimeException.class);
                statement.execute("ROLLBACK");
            }

            assertThat(refused).isInstanceOf(ServiceUnavailableException.class);
            MutableHttpResponse<String> response = IcebergErrors.response(refused);
            assertThat(response.getStatus().getCode()).isEqualTo(503);
            assertThat(response.getHeaders().get(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(catalog.loadTable(id).properties()).doesNotContainKey("k");
            table.refresh();
            table.updateProperties().set("k", "v").commit(); // the retry the client makes later
            assertThat(catalog.loadTable(id).properties()).containsEntry("k", "v");
        }
    }
}
