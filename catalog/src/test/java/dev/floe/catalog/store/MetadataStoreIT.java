package dev.floe.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.testing.TestSealers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on SQLite: file layout and pragmas, migrations, repositories' edge cases. */
class MetadataStoreIT {

    @TempDir
    Path dir;

    @Test
    void opensSqliteInWalModeWithForeignKeysAndMigratesOnce() throws Exception {
        try (MetadataStore store = MetadataStore.open("file://" + dir, TestSealers.identity())) {
            assertThat(Files.exists(dir.resolve("floe.db"))).isTrue();
            assertThat(store.dialect()).isEqualTo(Dialect.SQLITE);
            try (Connection c = store.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                assertThat(single(s, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
                assertThat(single(s, "PRAGMA foreign_keys")).isEqualTo("1");
                assertThat(Integer.parseInt(single(s, "PRAGMA busy_timeout"))).isGreaterThanOrEqualTo(5000);
            }
            assertThat(store.schemaVersion()).isNotEqualTo("none");
        }
        // a second open finds the schema in place
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.identity())) {
            assertThat(store.statistics("main")).isEqualTo(new StoreStatistics(0, 0, 0, store.schemaVersion()));
        }
    }

    @Test
    void namespacePropertyUpdatesApplyRemovalsAndBumpTheVersion() {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling())) {
            NamespaceRepository namespaces = store.namespaces();
            assertThat(namespaces.create("main", List.of("db"), Map.of("a", "1", "b", "2")))
                    .isEqualTo(NamespaceRepository.CreateResult.CREATED);
            assertThat(namespaces.create("main", List.of("db"), Map.of()))
                    .isEqualTo(NamespaceRepository.CreateResult.ALREADY_EXISTS);
            assertThat(namespaces.create("other", List.of("db"), Map.of()))
                    .as("warehouses are separate")
                    .isEqualTo(NamespaceRepository.CreateResult.CREATED);

            NamespaceRecord updated = namespaces
                    .updateProperties("main", List.of("db"), Map.of("c", "3"), Set.of("a", "zz"))
                    .orElseThrow();

            assertThat(updated.properties()).isEqualTo(Map.of("b", "2", "c", "3"));
            assertThat(updated.version()).isEqualTo(2);
            assertThat(namespaces.find("main", List.of("db")).orElseThrow().properties())
                    .isEqualTo(Map.of("b", "2", "c", "3"));
            assertThat(namespaces.updateProperties("main", List.of("nope"), Map.of("x", "y"), Set.of()))
                    .isEmpty();
        }
    }

    @Test
    void droppingANamespaceRefusesChildrenAndObjects() {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.identity())) {
            NamespaceRepository namespaces = store.namespaces();
            namespaces.create("main", List.of("a"), Map.of());
            namespaces.create("main", List.of("a", "b"), Map.of());
            assertThat(namespaces.delete("main", List.of("a")))
                    .isEqualTo(NamespaceRepository.DeleteResult.HAS_CHILDREN);
            store.objects().insert("main", List.of("a", "b"), "t", ObjectKind.TABLE, "id-1", "file:/x/t.json");
            assertThat(namespaces.delete("main", List.of("a", "b")))
                    .isEqualTo(NamespaceRepository.DeleteResult.HAS_OBJECTS);
            assertThat(store.objects().delete("main", List.of("a", "b"), "t", ObjectKind.VIEW))
                    .as("kind must match")
                    .isFalse();
            assertThat(store.objects().delete("main", List.of("a", "b"), "t", ObjectKind.TABLE))
                    .isTrue();
            assertThat(namespaces.delete("main", List.of("a", "b")))
                    .isEqualTo(NamespaceRepository.DeleteResult.DELETED);
            assertThat(namespaces.delete("main", List.of("a", "b")))
                    .isEqualTo(NamespaceRepository.DeleteResult.NOT_FOUND);
        }
    }

    @Test
    void compareAndSwapSucceedsOnlyFromTheVersionAndObjectItExpects() {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling())) {
            store.namespaces().create("main", List.of("db"), Map.of());
            CatalogObjectRepository objects = store.objects();
            assertThat(objects.insert("main", List.of("db"), "t", ObjectKind.TABLE, "id-1", "loc-1"))
                    .isEqualTo(CatalogObjectRepository.InsertResult.INSERTED);
            assertThat(objects.insert("main", List.of("db"), "t", ObjectKind.VIEW, "id-2", "loc-x"))
                    .isEqualTo(CatalogObjectRepository.InsertResult.ALREADY_EXISTS);
            assertThat(objects.insert("main", List.of("nope"), "t", ObjectKind.TABLE, "id-3", "loc-x"))
                    .isEqualTo(CatalogObjectRepository.InsertResult.NO_NAMESPACE);

            assertThat(objects.compareAndSwap(
                            "main", List.of("db"), "t", ObjectKind.TABLE, "id-1", 1, "loc-2", "loc-1"))
                    .isTrue();
            assertThat(objects.compareAndSwap(
                            "main", List.of("db"), "t", ObjectKind.TABLE, "id-1", 1, "loc-3", "loc-1"))
                    .as("stale version")
                    .isFalse();
            assertThat(objects.compareAndSwap(
                            "main", List.of("db"), "t", ObjectKind.TABLE, "id-other", 2, "loc-3", "loc-2"))
                    .as("same name, other object (dropped and re-created)")
                    .isFalse();

            CatalogObject row = objects.find("main", List.of("db"), "t").orElseThrow();
            assertThat(row.metadataLocation()).isEqualTo("loc-2");
            assertThat(row.previousMetadataLocation()).isEqualTo("loc-1");
            assertThat(row.version()).isEqualTo(2);
            assertThat(row.toString()).doesNotContain("loc-");
        }
    }

    @Test
    void idempotencyRecordsReplayUntilTheyExpire() {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling())) {
            IdempotencyRepository idempotency = store.idempotency();
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            IdempotencyRecord first =
                    new IdempotencyRecord("main", "k", "fp-1", 200, "{\"ok\":1}", t0, t0.plusSeconds(60));

            assertThat(idempotency.save(first)).isTrue();
            assertThat(idempotency.save(new IdempotencyRecord(
                            "main", "k", "fp-2", 409, "{}", t0.plusSeconds(1), t0.plusSeconds(61))))
                    .as("a concurrent second writer loses")
                    .isFalse();
            assertThat(idempotency.find("main", "k", t0.plusSeconds(30))).contains(first);
            assertThat(idempotency.find("other", "k", t0.plusSeconds(30))).isEmpty();
            assertThat(idempotency.find("main", "k", t0.plusSeconds(60)))
                    .as("expired")
                    .isEmpty();

            IdempotencyRecord again =
                    new IdempotencyRecord("main", "k", "fp-3", 201, "", t0.plusSeconds(90), t0.plusSeconds(150));
            assertThat(idempotency.save(again))
                    .as("an expired record is replaced")
                    .isTrue();
            assertThat(idempotency.find("main", "k", t0.plusSeconds(100))).contains(again);

            assertThat(idempotency.deleteExpired(t0.plusSeconds(151))).isEqualTo(1);
            assertThat(idempotency.find("main", "k", t0.plusSeconds(100))).isEmpty();
        }
    }

    @Test
    void aClaimedKeyIsInFlightUntilCompletedOrReleased() {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.scrambling())) {
            IdempotencyRepository idempotency = store.idempotency();
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

            assertThat(idempotency.claim("main", "k", "fp", t0, t0.plusSeconds(60)))
                    .isTrue();
            assertThat(idempotency.claim("main", "k", "fp", t0, t0.plusSeconds(60)))
                    .as("second replica waits")
                    .isFalse();
            assertThat(idempotency.find("main", "k", t0).orElseThrow().status())
                    .isEqualTo(IdempotencyRepository.IN_FLIGHT);

            assertThat(idempotency.complete("main", "k", 200, "{\"done\":true}", t0.plusSeconds(600)))
                    .isTrue();
            assertThat(idempotency.complete("main", "k", 500, "{}", t0.plusSeconds(600)))
                    .as("only an in-flight claim completes")
                    .isFalse();
            IdempotencyRecord done = idempotency.find("main", "k", t0).orElseThrow();
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.responseBody()).isEqualTo("{\"done\":true}");
            assertThat(idempotency.find("main", "k", t0.plusSeconds(120)))
                    .as("completion extends the claim's lease")
                    .isPresent();
            assertThat(idempotency.release("main", "k"))
                    .as("a finished record stays")
                    .isFalse();

            assertThat(idempotency.claim("main", "k2", "fp", t0, t0.plusSeconds(60)))
                    .isTrue();
            assertThat(idempotency.release("main", "k2")).isTrue();
            assertThat(idempotency.find("main", "k2", t0)).isEmpty();
        }
    }

    @Test
    void recordsTimestampsFromTheGivenClock() {
        Instant fixed = Instant.parse("2026-05-05T10:00:00Z");
        try (MetadataStore store = MetadataStore.open(
                StorageUrl.sqliteIn(dir), TestSealers.identity(), 2, Clock.fixed(fixed, java.time.ZoneOffset.UTC))) {
            store.namespaces().create("main", List.of("db"), Map.of());
            assertThat(store.namespaces()
                            .find("main", List.of("db"))
                            .orElseThrow()
                            .createdAt())
                    .isEqualTo(fixed);
        }
    }

    private static String single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
