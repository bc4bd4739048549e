package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.store.IdempotencyRecord;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.TestSealers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the store passes every sensitive column through the FieldSealer: the raw database rows
 * hold the test sealer's output (marker, context hash, scrambled bytes), never the clear value,
 * and a sealed value copied into another row does not open there.
 */
class SealedColumnsIT {

    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    private static final Namespace NS = Namespace.of("finance");

    @TempDir
    Path dir;

    private MetadataStore store;
    private FloeCatalog catalog;

    @BeforeEach
    void open() {
        store = MetadataStore.open(StorageUrl.sqliteIn(dir.resolve("db")), TestSealers.scrambling());
        catalog = KitCatalogs.create(store, "main", dir.resolve("warehouse"), "floe", Map.of());
    }

    @AfterEach
    void close() throws IOException {
        catalog.close();
        store.close();
    }

    @Test
    void namespacePropertiesAreSealedAtRest() throws SQLException {
        catalog.createNamespace(NS, Map.of("owner", "top-secret-owner"));

        byte[] raw = rawColumn("SELECT properties FROM namespaces WHERE ns_key = 'finance'");

        assertSealed(raw, "top-secret-owner");
        assertThat(catalog.loadNamespaceMetadata(NS)).containsEntry("owner", "top-secret-owner");
    }

    @Test
    void metadataLocationsAreSealedAtRest() throws SQLException {
        catalog.createNamespace(NS);
        Table table = catalog.createTable(TableIdentifier.of(NS, "ledger"), SCHEMA);
        String first = catalog.loadTable(TableIdentifier.of(NS, "ledger")).location();
        table.updateProperties().set("k", "v").commit();

        byte[] location = rawColumn("SELECT metadata_location FROM catalog_objects WHERE name = 'ledger'");
        byte[] previous = rawColumn("SELECT previous_metadata_location FROM catalog_objects WHERE name = 'ledger'");

        assertSealed(location, "metadata");
        assertSealed(location, first);
        assertSealed(previous, "metadata");
        assertThat(catalog.loadTable(TableIdentifier.of(NS, "ledger")).properties())
                .containsEntry("k", "v");
    }

    @Test
    void idempotentResponsesAreSealedAtRest() throws SQLException {
        Instant now = Instant.now();
        store.idempotency()
                .save(new IdempotencyRecord(
                        "main",
                        "key-1",
                        "fp",
                        200,
                        "{\"metadata-location\":\"s3://bucket/secret-path\"}",
                        now,
                        now.plusSeconds(60)));

        assertSealed(rawColumn("SELECT response FROM idempotency_records WHERE idem_key = 'key-1'"), "secret-path");
        assertThat(store.idempotency().find("main", "key-1", now).orElseThrow().responseBody())
                .contains("secret-path");
    }

    @Test
    void aSealedPointerCopiedToAnotherTableDoesNotOpen() throws SQLException {
        catalog.createNamespace(NS);
        catalog.createTable(TableIdentifier.of(NS, "a"), SCHEMA);
        catalog.createTable(TableIdentifier.of(NS, "b"), SCHEMA);

        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE catalog_objects SET metadata_location ="
                        + " (SELECT metadata_location FROM catalog_objects WHERE name = 'a') WHERE name = 'b'")) {
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        assertThatThrownBy(() -> catalog.loadTable(TableIdentifier.of(NS, "b"))).hasMessageContaining("wrong context");
        assertThat(catalog.loadTable(TableIdentifier.of(NS, "a"))).isNotNull();
    }

    @Test
    void renameReSealsUnderTheNewIdentity() throws SQLException {
        catalog.createNamespace(NS);
        catalog.createNamespace(Namespace.of("archive"));
        catalog.createTable(TableIdentifier.of(NS, "old"), SCHEMA);
        byte[] before = rawColumn("SELECT metadata_location FROM catalog_objects WHERE name = 'old'");

        catalog.renameTable(TableIdentifier.of(NS, "old"), TableIdentifier.of(Namespace.of("archive"), "new"));

        byte[] after = rawColumn("SELECT metadata_location FROM catalog_objects WHERE name = 'new'");
        assertThat(after).isNotEqualTo(before); // same location, bound to another row
        assertThat(catalog.loadTable(TableIdentifier.of(Namespace.of("archive"), "new")))
                .isNotNull();
    }

    private byte[] rawColumn(String sql) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as("row for: %s", sql).isTrue();
            return rs.getBytes(1);
        }
    }

    private static void assertSealed(byte[] raw, String clearText) {
        assertThat(raw).isNotNull();
        assertThat(Arrays.copyOf(raw, TestSealers.MARKER.length)).isEqualTo(TestSealers.MARKER);
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain(clearText);
    }
}
