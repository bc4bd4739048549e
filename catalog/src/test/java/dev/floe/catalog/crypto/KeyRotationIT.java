package dev.floe.catalog.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.catalog.FloeCatalog;
import dev.floe.catalog.kms.KmsCallPolicy;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.SealedValueRepository;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.EmbeddedPostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Online rotation through the real metadata store with the local provider and a two-version key
 * ring file, on SQLite and on a real PostgreSQL: rewrap under the new master version, new active
 * DEK, re-encryption of every sealed row, destruction of the retired DEK, then a fresh process that
 * only has the new master key version still reads everything. A rerun is harmless.
 */
class KeyRotationIT {

    private static final String MARKER = "marker-rotation-7f3a";
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

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private record Opened(MetadataStore store, EnvelopeEncryption encryption, FloeCatalog catalog)
            implements AutoCloseable {
        @Override
        public void close() {
            store.close();
            encryption.close();
        }
    }

    private Opened open(StorageUrl url, Path ring) {
        return open(url, ring, 2);
    }

    private Opened open(StorageUrl url, Path ring, int batchSize) {
        return open(url, ring, batchSize, (column, after, page) -> {});
    }

    private Opened open(StorageUrl url, Path ring, int batchSize, Interleaving interleaving) {
        EnvelopeEncryption enc = new EnvelopeEncryption(
                new ResilientKeyProvider(LocalKeyProvider.fromKeyRingFile(ring), KmsCallPolicy.defaults()),
                new EnvelopeEncryption.Options(
                        64, Duration.ofHours(1), Duration.ofSeconds(30), Duration.ZERO, batchSize),
                Clock.systemUTC());
        MetadataStore store = MetadataStore.open(
                url,
                ds -> enc.attach(
                        new DataKeyRepository(ds), new InterleavedValues(new SealedValueRepository(ds), interleaving)));
        FloeCatalog catalog = new FloeCatalog(store, "wh");
        catalog.initialize(
                "floe",
                Map.of(
                        CatalogProperties.WAREHOUSE_LOCATION,
                        dir.resolve("warehouse").toUri().toString()));
        return new Opened(store, enc, catalog);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void rotatesReencryptsAndDestroysWhileEverythingStaysReadable(String database) throws Exception {
        StorageUrl url = database.equals("sqlite")
                ? StorageUrl.sqliteIn(dir.resolve("db"))
                : StorageUrl.parse(postgres.newDatabase());
        Path ring = dir.resolve("master-keys");
        Files.writeString(ring, "1:" + newKey() + "\n");
        Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

        List<String> oldDeks = new ArrayList<>();
        try (Opened o = open(url, ring)) {
            for (int i = 0; i < 5; i++) {
                o.catalog().createNamespace(Namespace.of("ns" + i), Map.of("secret", MARKER + "-" + i));
                o.catalog().createTable(TableIdentifier.of("ns" + i, "t"), schema);
            }
            oldDeks.add(o.encryption().ring().activeRecord().id().toString());
            assertThat(rawDump(o.store())).doesNotContain(MARKER).doesNotContain("metadata.json");

            // The master key gets a second version; the file is re-read on change.
            Files.writeString(ring, "2:" + newKey() + "\n", StandardOpenOption.APPEND);
            Files.setLastModifiedTime(ring, FileTime.from(Instant.now().plusSeconds(5)));

            KeyRotation.Report report = o.encryption().rotation().rotate(true);
            assertThat(report.ok()).isTrue();
            assertThat(report.masterKeyVersion()).isEqualTo("2");
            assertThat(report.rewrapped()).isEqualTo(1);
            // namespace properties, table metadata locations, table locations (sealed since V2)
            assertThat(report.resealed()).isEqualTo(5 + 5 + 5);
            assertThat(report.remaining()).isZero();
            assertThat(report.destroyed()).containsExactlyElementsOf(oldDeks);
            assertThat(report.activeDataKey()).isNotIn(oldDeks);

            List<KeyRotation.KeyInfo> keys = o.encryption().rotation().describe();
            assertThat(keys).extracting(KeyRotation.KeyInfo::state).containsExactly("DESTROYED", "ACTIVE");
            assertThat(keys.get(1).rows()).isEqualTo(15);
            assertThat(keys.get(1).masterKeyVersion()).isEqualTo("2");

            // A rerun has nothing to rewrap and nothing to re-seal, and still leaves one active DEK.
            KeyRotation.Report again = o.encryption().rotation().rotate(true);
            assertThat(again.rewrapped()).isZero();
            assertThat(again.resealed()).isEqualTo(15);
            assertThat(again.destroyed()).hasSize(1);
        }

        // Drop master key version 1 entirely: a fresh process (empty DEK cache) still reads everything.
        Files.writeString(ring, "2:" + Files.readAllLines(ring).get(1).substring(2) + "\n");
        try (Opened o = open(url, ring)) {
            for (int i = 0; i < 5; i++) {
                assertThat(o.catalog().loadNamespaceMetadata(Namespace.of("ns" + i)))
                        .containsEntry("secret", MARKER + "-" + i);
                assertThat(o.catalog()
                                .loadTable(TableIdentifier.of("ns" + i, "t"))
                                .schema()
                                .asStruct())
                        .isEqualTo(schema.asStruct());
            }
            assertThat(rawDump(o.store())).doesNotContain(MARKER);
        }
    }

    @org.junit.jupiter.api.Test
    void neverDestroysADataKeyThatAnUndeclaredColumnStillUses() throws Exception {
        Path ring = dir.resolve("master-keys");
        Files.writeString(ring, "1:" + newKey() + "\n");
        try (Opened o = open(StorageUrl.sqliteIn(dir.resolve("db")), ring)) {
            String oldDek = o.encryption().ring().activeRecord().id().toString();
            SealContext ctx = new SealContext("wh", "extra", "row-1", "v");
            byte[] sealed = o.encryption().sealer().seal("kept".getBytes(StandardCharsets.UTF_8), ctx);
            try (Connection c = o.store().dataSource().getConnection();
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE extra_sealed (id TEXT PRIMARY KEY, v BLOB)");
                try (var ps = c.prepareStatement("INSERT INTO extra_sealed VALUES ('row-1', ?)")) {
                    ps.setBytes(1, sealed);
                    ps.executeUpdate();
                }
            }
            KeyRotation.Report report = o.encryption().rotation().rotate(true);
            assertThat(report.destroyed()).isEmpty();
            assertThat(report.pendingDestroy()).containsExactly(oldDek);
            assertThat(o.encryption().sealer().open(sealed, ctx)).isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
        }
    }

    @org.junit.jupiter.api.Test
    void neverDestroysADataKeyStillUsedInANonDefaultPostgresSchema() throws Exception {
        StorageUrl url = StorageUrl.parse(postgresInSchema("floe_tenant"));
        Path ring = dir.resolve("master-keys");
        Files.writeString(ring, "1:" + newKey() + "\n");
        try (Opened o = open(url, ring)) {
            String oldDek = o.encryption().ring().activeRecord().id().toString();
            SealContext ctx = new SealContext("wh", "extra", "row-1", "v");
            byte[] sealed = o.encryption().sealer().seal("kept".getBytes(StandardCharsets.UTF_8), ctx);
            try (Connection c = o.store().dataSource().getConnection();
                    Statement st = c.createStatement()) {
                assertThat(c.getSchema()).isEqualTo("floe_tenant");
                st.execute("CREATE TABLE extra_sealed (id TEXT PRIMARY KEY, v BYTEA)");
                try (var ps = c.prepareStatement("INSERT INTO extra_sealed VALUES ('row-1', ?)")) {
                    ps.setBytes(1, sealed);
                    ps.executeUpdate();
                }
            }
            KeyRotation.Report report = o.encryption().rotation().rotate(true);
            assertThat(report.destroyed()).isEmpty();
            assertThat(report.pendingDestroy()).containsExactly(oldDek);
            assertThat(o.encryption().rotation().describe())
                    .filteredOn(k -> k.id().equals(oldDek))
                    .extracting(KeyRotation.KeyInfo::rows)
                    .containsExactly(1);
            assertThat(o.encryption().sealer().open(sealed, ctx)).isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * While the pass runs, other connections delete and rewrite namespaces through the catalog at
     * every page boundary: one row behind the cursor is deleted (paging by offset would then skip a
     * row per page and leave it under the retired key), and of the page just read, the first row is
     * deleted and the last rewritten before their swaps (the compare-and-set must skip both). One
     * pass must still re-seal every surviving row, so the retired key is destroyed, and a process
     * holding only the new master key version reads every survivor with its latest value.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void reencryptsEveryRowWhileRowsAreDeletedAndUpdatedConcurrently(String database) throws Exception {
        StorageUrl url = database.equals("sqlite")
                ? StorageUrl.sqliteIn(dir.resolve("db"))
                : StorageUrl.parse(postgresInSchema("floe_tenant"));
        Path ring = dir.resolve("master-keys");
        Files.writeString(ring, "1:" + newKey() + "\n");
        int rows = 300;
        Map<String, String> expected = new java.util.TreeMap<>();
        java.util.concurrent.atomic.AtomicReference<FloeCatalog> catalog =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.Deque<String> passed = new java.util.ArrayDeque<>();
        java.util.concurrent.atomic.AtomicInteger deletes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger rewrites = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger scans = new java.util.concurrent.atomic.AtomicInteger();
        Interleaving interleave = (column, after, page) -> {
            if (!column.equals("namespaces.properties")) {
                return;
            }
            if (after.isEmpty()) {
                scans.incrementAndGet();
            }
            if (scans.get() != 1 || page.isEmpty()) {
                return; // only during the re-sealing scan, not the count that follows it
            }
            FloeCatalog c = catalog.get();
            if (!passed.isEmpty()) {
                drop(c, passed.pollFirst(), expected, deletes); // behind the cursor
            }
            String first = page.get(0).rowKey().get(1);
            String last = page.get(page.size() - 1).rowKey().get(1);
            drop(c, first, expected, deletes); // read, not yet swapped
            if (!last.equals(first)) {
                c.setProperties(Namespace.of(last), Map.of("secret", "rewritten-" + last));
                expected.put(last, "rewritten-" + last);
                rewrites.incrementAndGet();
            }
            page.stream().skip(1).map(cell -> cell.rowKey().get(1)).forEach(passed::addLast);
        };
        try (Opened o = open(url, ring, 10, interleave)) {
            catalog.set(o.catalog());
            for (int i = 0; i < rows; i++) {
                o.catalog().createNamespace(ns(i), Map.of("secret", MARKER + "-" + i));
                expected.put("ns" + pad(i), MARKER + "-" + i);
            }
            java.util.UUID oldDek = o.encryption().ring().activeRecord().id();
            Files.writeString(ring, "2:" + newKey() + "\n", StandardOpenOption.APPEND);
            Files.setLastModifiedTime(ring, FileTime.from(Instant.now().plusSeconds(5)));

            KeyRotation.Report report = o.encryption().rotation().rotate(true);

            assertThat(report.ok()).isTrue();
            assertThat(report.remaining()).isZero();
            assertThat(report.destroyed()).containsExactly(oldDek.toString());
            // 30 pages, then the empty page that ends the scan: two deletes per page but the first, one rewrite each
            assertThat(deletes.get()).isEqualTo(59);
            assertThat(rewrites.get()).isEqualTo(30);
            // every row but the first (deleted) and last (rewritten) of each page
            assertThat(report.resealed()).isEqualTo(rows - 30 - 30);
        }

        Files.writeString(ring, "2:" + Files.readAllLines(ring).get(1).substring(2) + "\n");
        try (Opened o = open(url, ring)) {
            Map<String, String> actual = new java.util.TreeMap<>();
            for (Namespace n : o.catalog().listNamespaces()) {
                actual.put(n.level(0), o.catalog().loadNamespaceMetadata(n).get("secret"));
            }
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static void drop(
            FloeCatalog catalog,
            String name,
            Map<String, String> expected,
            java.util.concurrent.atomic.AtomicInteger deletes) {
        if (catalog.dropNamespace(Namespace.of(name))) {
            expected.remove(name);
            deletes.incrementAndGet();
        }
    }

    /** Work another writer does between the store returning a page and the pass using it. */
    @FunctionalInterface
    private interface Interleaving {
        void afterPage(String column, List<String> after, List<SealedValueStore.Cell> page);
    }

    /** The real store's sealed values, with {@link Interleaving} run after each page is read. */
    private record InterleavedValues(SealedValueStore store, Interleaving interleaving) implements SealedValueStore {
        @Override
        public List<String> columns() {
            return store.columns();
        }

        @Override
        public List<Cell> page(String column, List<String> after, int limit) {
            List<Cell> page = store.page(column, after, limit);
            interleaving.afterPage(column, after, page);
            return page;
        }

        @Override
        public boolean swap(Cell cell, byte[] replacement) {
            return store.swap(cell, replacement);
        }

        @Override
        public Map<java.util.UUID, Integer> countByDataKey() {
            return store.countByDataKey();
        }
    }

    private static Namespace ns(int i) {
        return Namespace.of("ns" + pad(i));
    }

    private static String pad(int i) {
        return String.format("%04d", i);
    }

    /** A fresh PostgreSQL database whose store lives in {@code schema} (PgJDBC's currentSchema). */
    private static String postgresInSchema(String schema) throws Exception {
        String db = postgres.newDatabase();
        StorageUrl plain = StorageUrl.parse(db);
        try (Connection c = java.sql.DriverManager.getConnection(plain.jdbcUrl(), plain.user(), plain.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return db + "?currentSchema=" + schema;
    }

    /** Every cell of every table, as text: what someone with the database or a backup would see. */
    private static String rawDump(MetadataStore store) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = store.dataSource().getConnection()) {
            for (String table : List.of("namespaces", "catalog_objects", "idempotency_records", "data_keys")) {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            byte[] b = rs.getBytes(i);
                            out.append(b == null ? "" : new String(b, StandardCharsets.ISO_8859_1))
                                    .append('|');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
