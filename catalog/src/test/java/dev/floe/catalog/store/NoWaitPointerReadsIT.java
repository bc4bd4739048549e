package dev.floe.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.testing.TestSealers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CatalogObjectRepository#findPointerWithoutWaiting} on a real SQLite file: it answers what
 * the pooled read answers, sees another store's commit at once (nothing is cached), never waits
 * for a lock (the pooled read would wait up to {@code busy_timeout}, 10 s), recovers once the lock
 * is gone, and is not offered for PostgreSQL or in-memory SQLite.
 */
class NoWaitPointerReadsIT {

    private static final List<String> NS = List.of("db");

    @TempDir
    Path dir;

    @Test
    void readsWhatThePooledReadReadsAndSeesOtherStoresCommitsAtOnce() {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling());
             MetadataStore other = MetadataStore.open(dir.toString(), TestSealers.scrambling())) {
            store.namespaces().create("main", NS, Map.of());
            store.objects().insert("main", NS, "t", ObjectKind.TABLE, "id-1", "file:/w/t/v1.json");

            CurrentPointer pooled = store.objects().findPointer("main", NS, "t", ObjectKind.TABLE).orElseThrow();
            assertThat(store.objects().findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE)).contains(pooled);
            assertThat(store.objects().findPointerWithoutWaiting("main", NS, "t", ObjectKind.VIEW))
                    .as("kind must match").isEmpty();
            assertThat(store.objects().findPointerWithoutWaiting("main", NS, "nope", ObjectKind.TABLE)).isEmpty();

            assertThat(other.objects().compareAndSwap("main", NS, "t", ObjectKind.TABLE, "id-1", 1,
                    "file:/w/t/v2.json", "file:/w/t/v1.json")).isTrue();
            assertThat(store.objects().findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                    .map(CurrentPointer::metadataLocation).contains("file:/w/t/v2.json");

            other.objects().delete("main", NS, "t", ObjectKind.TABLE);
            assertThat(store.objects().findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE)).isEmpty();
        }
    }

    @Test
    void answersAtOnceInsteadOfWaitingForALockAndRecoversAfterwards() throws Exception {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling())) {
            store.namespaces().create("main", NS, Map.of());
            store.objects().insert("main", NS, "t", ObjectKind.TABLE, "id-1", "file:/w/t/v1.json");
            assertThat(store.objects().findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE)).isPresent();

            // Exclusive locking mode plus a write keeps every other connection out, readers included.
            try (Connection locker = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("floe.db"));
                 Statement s = locker.createStatement()) {
                s.execute("PRAGMA locking_mode=EXCLUSIVE");
                s.execute("BEGIN EXCLUSIVE");
                s.execute("UPDATE catalog_objects SET updated_at = updated_at + 1");

                long start = System.nanoTime();
                assertThat(store.objects().findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE)).isEmpty();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no busy wait").isLessThan(Duration.ofSeconds(2));
                s.execute("ROLLBACK");
            }
            assertThat(store.objects().findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                    .as("a fresh connection after the busy one was dropped")
                    .map(CurrentPointer::metadataLocation).contains("file:/w/t/v1.json");
        }
    }

    @Test
    void onlySqliteFilesGetNoWaitReads() {
        assertThat(NoWaitReads.forStore(StorageUrl.parse("postgresql://db.example:5432/floe"))).isEmpty();
        assertThat(NoWaitReads.forStore(StorageUrl.parse("jdbc:sqlite::memory:"))).isEmpty();
        assertThat(NoWaitReads.forStore(StorageUrl.parse(dir.toString()))).isPresent();
    }

    @Test
    void closedStoresAnswerNothing() {
        MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling());
        store.namespaces().create("main", NS, Map.of());
        store.objects().insert("main", NS, "t", ObjectKind.TABLE, "id-1", "file:/w/t/v1.json");
        assertThat(store.objects().findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE)).isPresent();
        store.close();
        assertThat(store.objects().findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE)).isEmpty();
    }
}
