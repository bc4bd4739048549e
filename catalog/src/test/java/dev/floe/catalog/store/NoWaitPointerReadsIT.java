package dev.floe.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.testing.TestSealers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MetadataStore#findPointerWithoutWaiting} on a real SQLite file: it answers what
 * the pooled read answers and sees another store's commit at once (nothing is cached); its
 * connections are read-only, one per thread, and answer {@code SQLITE_BUSY} at once where the
 * pooled ones wait up to {@code busy_timeout} (10 s); a failed read drops its connection and the
 * next read opens a fresh one; and it is not offered for PostgreSQL or in-memory SQLite.
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

            CurrentPointer pooled = store.objects()
                    .findPointer("main", NS, "t", ObjectKind.TABLE)
                    .orElseThrow();
            assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                    .contains(pooled);
            assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.VIEW))
                    .as("kind must match")
                    .isEmpty();
            assertThat(store.findPointerWithoutWaiting("main", NS, "nope", ObjectKind.TABLE))
                    .isEmpty();

            assertThat(other.objects()
                            .compareAndSwap(
                                    "main",
                                    NS,
                                    "t",
                                    ObjectKind.TABLE,
                                    "id-1",
                                    1,
                                    "file:/w/t/v2.json",
                                    "file:/w/t/v1.json"))
                    .isTrue();
            assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                    .map(CurrentPointer::metadataLocation)
                    .contains("file:/w/t/v2.json");

            other.objects().delete("main", NS, "t", ObjectKind.TABLE);
            assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                    .isEmpty();
        }
    }

    @Test
    void itsConnectionsNeverWaitForALockAndCannotWrite() throws Exception {
        try (NoWaitReads reads = NoWaitReads.forStore(StorageUrl.parse(dir.toString()), TestSealers.scrambling())
                        .orElseThrow();
                MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling())) {
            Connection connection = reads.connection().orElseThrow().connection();
            assertThat(reads.connection().orElseThrow().connection())
                    .as("one per thread")
                    .isSameAs(connection);
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
                assertThat(rs.getInt(1))
                        .as("SQLITE_BUSY at once instead of waiting")
                        .isZero();
            }
            assertThatThrownBy(() -> {
                        try (Statement s = connection.createStatement()) {
                            s.executeUpdate("DELETE FROM catalog_objects");
                        }
                    })
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("readonly");

            AtomicReference<Connection> otherThread = new AtomicReference<>();
            Thread thread = new Thread(
                    () -> otherThread.set(reads.connection().orElseThrow().connection()));
            thread.start();
            thread.join();
            assertThat(otherThread.get()).isNotNull().isNotSameAs(connection);
        }
    }

    @Test
    void aFailedReadDropsItsConnectionAndTheNextReadOpensAFreshOne() throws Exception {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling())) {
            store.namespaces().create("main", NS, Map.of());
            store.objects().insert("main", NS, "t", ObjectKind.TABLE, "id-1", "file:/w/t/v1.json");
            assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                    .isPresent();

            // break this thread's connection underneath the store: the read fails, answers empty
            NoWaitReads reads = store.noWaitReadsForTests().orElseThrow();
            reads.connection().orElseThrow().connection().close();
            assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                    .isEmpty();
            assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                    .map(CurrentPointer::metadataLocation)
                    .contains("file:/w/t/v1.json");
            assertThat(reads.connection().orElseThrow().connection().isClosed()).isFalse();
        }
    }

    @Test
    void anIdleNoWaitConnectionHoldsNoSnapshotSoCheckpointsEmptyTheWal() throws Exception {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling())) {
            store.namespaces().create("main", NS, Map.of());
            store.objects().insert("main", NS, "t", ObjectKind.TABLE, "id-1", "file:/w/t/v1.json");
            assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                    .isPresent();
            store.objects()
                    .compareAndSwap(
                            "main", NS, "t", ObjectKind.TABLE, "id-1", 1, "file:/w/t/v2.json", "file:/w/t/v1.json");

            // A read transaction left open by the no-wait connection would pin the WAL: it could never
            // be truncated and would grow with every commit.
            try (Connection c = store.dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(rs.getInt(1))
                        .as("checkpoint not blocked by a reader")
                        .isZero();
            }
            assertThat(java.nio.file.Files.size(dir.resolve("floe.db-wal"))).isZero();
            assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                    .map(CurrentPointer::metadataLocation)
                    .contains("file:/w/t/v2.json");
        }
    }

    @Test
    void onlySqliteFilesGetNoWaitReads() {
        assertThat(NoWaitReads.forStore(
                        StorageUrl.parse("postgresql://db.example:5432/floe"), TestSealers.scrambling()))
                .isEmpty();
        assertThat(NoWaitReads.forStore(StorageUrl.parse("jdbc:sqlite::memory:"), TestSealers.scrambling()))
                .isEmpty();
        assertThat(NoWaitReads.forStore(StorageUrl.parse(dir.toString()), TestSealers.scrambling()))
                .isPresent();
    }

    @Test
    void closedStoresAnswerNothing() {
        MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling());
        store.namespaces().create("main", NS, Map.of());
        store.objects().insert("main", NS, "t", ObjectKind.TABLE, "id-1", "file:/w/t/v1.json");
        assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                .isPresent();
        store.close();
        assertThat(store.findPointerWithoutWaiting("main", NS, "t", ObjectKind.TABLE))
                .isEmpty();
    }
}
